import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { QueueConnection } from '../../src/runners/queue/queueConnection';
import { inspectQueues, peekQueue, publishMessage } from '../../src/runners/queue/queueOperations';
import { peekResultJson, publishResultJson } from '../../src/runners/queue/queueResultJson';
import { integrationFromYaml } from '../support/integrationFromYaml';
import { startRabbitMq, type RabbitMqBroker } from '../support/rabbitmq';

const throughJson = <T>(value: T): T => JSON.parse(JSON.stringify(value));

let broker: RabbitMqBroker;
/** Accepts AMQP connections and never answers: a connect waits until cancelled. */
let silent: Server;
const held = new Set<Socket>();
const connections: QueueConnection[] = [];

function connection(url: string, reconnect = true): QueueConnection {
  const integration = integrationFromYaml('message_queue', `integration:\n  type: message_queue\n  name: outcome_bus\n  connection_url: "${url}"\n  timeout: 20s\n  queues:\n    - { name: outcome_orders }\n`);
  const opened = new QueueConnection(integration, { reconnect });
  connections.push(opened);
  return opened;
}

before(async () => {
  broker = await startRabbitMq();
  silent = createServer((socket) => held.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
});

after(async () => {
  await Promise.all(connections.map((opened) => opened.close()));
  for (const socket of held) socket.destroy();
  await new Promise((resolve) => silent?.close(resolve));
  await broker?.stop();
});

const silentUrl = () => `amqp://guest:guest@127.0.0.1:${(silent.address() as AddressInfo).port}`;
const cancelSoon = () => AbortSignal.timeout(50);

describe('outcome contract: queue publish, peek and inspect', () => {
  it('successes: a confirmed receipt, the messages at the head, the depths', async () => {
    const bus = connection(broker.url);
    const published = await publishMessage(bus, 'outcome_orders', { order: 1 }, { messageId: 'o-1' });
    assert.ok(published.ok);
    assert.equal(published.receipt.messageId, 'o-1');
    assert.deepEqual(throughJson(publishResultJson(published)), { integration: 'outcome_bus', ok: true, ...published.receipt });

    const peeked = await peekQueue(bus, 'outcome_orders', { count: 5 });
    assert.ok(peeked.ok);
    const peekedJson = throughJson(peekResultJson(peeked));
    assert.ok(peekedJson.ok);
    assert.deepEqual(peekedJson.messages.map((message) => [message.body, message.messageId]), [[{ order: 1 }, 'o-1']]);

    const inspected = await inspectQueues(bus);
    assert.deepEqual(throughJson(inspected).queues, [{ queue: 'outcome_orders', messageCount: 1, consumerCount: 0 }]);
    assert.equal(inspected.ok, true);
  });

  it('failures: an unknown queue and an unreachable broker, said in the result, not thrown', async () => {
    const bus = connection(broker.url);
    const unknown = await publishMessage(bus, 'outcome_order', {});
    assert.ok(!unknown.ok);
    assert.equal(unknown.error.kind, 'config');
    assert.match(throughJson(unknown).error.message, /has no queue "outcome_order"\. Did you mean "outcome_orders"\?/);

    const down = connection('amqp://guest:pw-not-shown@127.0.0.1:1', false);
    const peeked = await peekQueue(down, 'outcome_orders');
    assert.ok(!peeked.ok);
    assert.deepEqual(throughJson(peekResultJson(peeked)), { integration: 'outcome_bus', queue: 'outcome_orders', ok: false, error: { kind: 'transient', message: 'cannot reach the broker of "outcome_bus": connection refused' } });
    const inspected = await inspectQueues(down);
    assert.deepEqual([inspected.ok, inspected.error?.kind, inspected.queues], [false, 'transient', []]);
    assert.doesNotMatch(JSON.stringify([peeked, inspected]), /pw-not-shown/);
  });

  it('cancels: kind cancelled for each operation while the broker does not answer', async () => {
    const results = await Promise.all([publishMessage(connection(silentUrl()), 'outcome_orders', {}, { signal: cancelSoon() }), peekQueue(connection(silentUrl()), 'outcome_orders', { signal: cancelSoon() }), inspectQueues(connection(silentUrl()), { signal: cancelSoon() })]);
    const errors = results.map((result) => throughJson(result as { error?: { kind: string; message: string } }).error);
    assert.deepEqual(
      errors.map((error) => error?.kind),
      ['cancelled', 'cancelled', 'cancelled'],
    );
    for (const error of errors) assert.equal(error?.message, 'cancelled: not connected to the broker');
  });
});
