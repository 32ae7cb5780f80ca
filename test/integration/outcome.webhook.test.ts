import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ResilienceRegistry, type BreakerChange } from '../../src/runners/http/resilienceRegistry';
import { closeSharedAgent } from '../../src/runners/http/sharedAgent';
import type { RunEvent } from '../../src/runners/runEvents';
import { sendWebhook } from '../../src/runners/webhook/webhookSender';
import { FlakyServer, ok } from '../support/flakyServer';
import { integrationFromYaml } from '../support/integrationFromYaml';

const throughJson = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('outcome contract: webhook send', () => {
  let server: FlakyServer;
  const hooks = (extra = '') =>
    integrationFromYaml(
      'webhook',
      `integration:
  type: webhook
  name: hooks
  timeout: 2s
  retry: { max_attempts: 2, base_delay: 5ms, max_delay: 5ms, jitter: false }
${extra}
  endpoints:
    - { name: ci, url: "${server.url}/hooks/ci", secret: outcome-secret, signature: github }
`,
    );

  before(async () => {
    server = await FlakyServer.start();
  });
  after(async () => {
    await server.close();
    await closeSharedAgent();
  });

  it('a success: ok, status, the breaker, events per attempt', async () => {
    server.respond(ok());
    const events: RunEvent[] = [];
    const delivery = await sendWebhook(hooks(), 'ci', 'task_completed', { id: 1 }, { onEvent: (event) => events.push(event) });
    assert.deepEqual([delivery.ok, delivery.status, delivery.breaker, delivery.error], [true, 200, 'closed', undefined]);
    assert.deepEqual(throughJson(delivery).event, delivery.event);
    assert.deepEqual(events.map((event) => event.type), ['attempt-started', 'attempt-ended']);
    assert.match(String(server.requests[0].headers['x-hub-signature-256']), /^sha256=[0-9a-f]{64}$/);
  });

  it('a failure: the classified error survives JSON', async () => {
    server.respond({ status: 502 });
    const delivery = await sendWebhook(hooks(), 'ci', 'task_completed', {});
    assert.equal(delivery.ok, false);
    assert.equal(delivery.attempts.length, 2);
    assert.deepEqual(throughJson(delivery).error, { kind: 'remote-5xx', severity: 'error', message: '502 Bad Gateway', code: '502' });
  });

  it('a redirect is not a delivery', async () => {
    server.respond({ status: 302, headers: { location: '/elsewhere' } });
    const delivery = await sendWebhook(hooks(), 'ci', 'task_completed', {});
    assert.deepEqual([delivery.ok, delivery.status, delivery.error?.message], [false, 302, 'the destination answered 302, not 2xx (redirects are not followed)']);
  });

  it('a cancel: kind cancelled, in the result and not thrown', async () => {
    server.respond('stall');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const delivery = await sendWebhook(hooks(), 'ci', 'task_completed', {}, { signal: controller.signal });
    assert.equal(delivery.ok, false);
    assert.deepEqual(throughJson(delivery).error, { kind: 'cancelled', severity: 'warning', message: 'cancelled' });
  });

  it("a webhook endpoint's breaker opens after its threshold, is shown like the others and then sends nothing", async () => {
    server.respond({ status: 500 });
    const registry = new ResilienceRegistry();
    const changes: BreakerChange[] = [];
    registry.onDidChangeBreaker((change) => changes.push(change));
    const integration = hooks('  circuit_breaker: { failure_threshold: 3, timeout: 1m }');
    const first = await sendWebhook(integration, 'ci', 'x', {}, { registry });
    assert.deepEqual([first.attempts.length, first.breaker], [2, 'closed'], 'two failures, threshold 3');
    const second = await sendWebhook(integration, 'ci', 'x', {}, { registry });
    assert.equal(second.attempts.length, 1, 'the third failure opened it: no retry after that');
    assert.equal(second.breaker, 'open');
    assert.equal(server.requests.length, 3);
    assert.deepEqual(changes, [{ integration: 'hooks', state: 'open' }]);
    assert.deepEqual(registry.breakerStates(), [{ integration: 'hooks', state: 'open' }]);

    const events: RunEvent[] = [];
    const refused = await sendWebhook(integration, 'ci', 'x', {}, { registry, onEvent: (event) => events.push(event) });
    assert.deepEqual([refused.ok, refused.attempts.length, refused.error?.code], [false, 0, 'circuit_open']);
    assert.deepEqual(events.map((event) => event.type === 'rejected' && event.policy), ['circuit-open']);
    assert.equal(server.requests.length, 3, 'an open circuit sends nothing');
    registry.dispose();
  });
});
