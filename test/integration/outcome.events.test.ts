import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Integration } from '../../src/core/model';
import { publishEvent, type PublishEventOptions } from '../../src/runners/events/publishEvent';
import { closeSharedAgent } from '../../src/runners/http/sharedAgent';
import { QueueConnectionPool } from '../../src/runners/queue/queueConnectionPool';
import type { RunEvent } from '../../src/runners/runEvents';
import { FlakyServer } from '../support/flakyServer';
import { integrationFromYaml } from '../support/integrationFromYaml';

const throughJson = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('outcome contract: event publish', () => {
  let server: FlakyServer;
  const pool = new QueueConnectionPool({ reconnect: false });
  const events = () =>
    integrationFromYaml(
      'event_driven',
      `integration:
  type: event_driven
  name: outcome_events
  timeout: 2s
  retry: { max_attempts: 2, base_delay: 5ms, max_delay: 5ms, jitter: false }
  publishers:
    - { name: to_hook, events: [task_completed, sprint_started], destination: "${server.url}/events" }
    - { name: to_queue, events: [sprint_started], destination: outcome_queue }
`,
    );
  const downBus = integrationFromYaml('message_queue', `integration:\n  type: message_queue\n  name: down_bus\n  connection_url: "amqp://guest:guest@127.0.0.1:1"\n  timeout: 2s\n  queues: [{ name: outcome_queue }]\n`);
  const options = (integrations: Integration[], extra: Partial<PublishEventOptions> = {}): PublishEventOptions => ({ workspace: 'outcome', integrations, queues: pool, ...extra });

  before(async () => {
    server = await FlakyServer.start();
  });
  after(async () => {
    await pool.close();
    await server.close();
    await closeSharedAgent();
  });

  it('a success: ok when every delivery is, with the attempt events of the URL delivery', async () => {
    server.respond({ status: 202 });
    const integration = events();
    const seen: RunEvent[] = [];
    const result = await publishEvent(integration, 'task_completed', { task: 'T1' }, options([integration], { onEvent: (event) => seen.push(event) }));
    assert.equal(result.ok, true);
    assert.deepEqual(
      throughJson(result).deliveries.map((delivery) => [delivery.publisher, delivery.ok, delivery.error]),
      [['to_hook', true, undefined]],
    );
    assert.deepEqual(seen.map((event) => event.type), ['attempt-started', 'attempt-ended']);
  });

  it('a failure: ok false, each failed delivery with its error through JSON', async () => {
    server.respond({ status: 400 });
    const integration = events();
    const result = await publishEvent(integration, 'sprint_started', {}, options([integration, downBus]));
    assert.equal(result.ok, false);
    const [hook, queue] = throughJson(result).deliveries;
    assert.deepEqual(hook.error, { kind: 'remote-4xx', severity: 'error', message: '400 Bad Request', code: '400' });
    assert.deepEqual([queue.kind, queue.error?.kind, queue.error?.message], ['queue', 'transient', 'cannot reach the broker of "down_bus": connection refused']);
  });

  it('a cancel: the deliveries say cancelled, nothing is thrown', async () => {
    server.respond('stall');
    const integration = events();
    const result = await publishEvent(integration, 'task_completed', {}, options([integration], { signal: AbortSignal.timeout(30) }));
    assert.equal(result.ok, false);
    assert.deepEqual(throughJson(result).deliveries.map((delivery) => delivery.error), [{ kind: 'cancelled', severity: 'warning', message: 'cancelled' }]);
  });
});
