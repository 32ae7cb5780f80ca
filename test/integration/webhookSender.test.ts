import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Authorizers } from '../../src/runners/auth/authorizers';
import { closeSharedAgent } from '../../src/runners/http/sharedAgent';
import { sendWebhook } from '../../src/runners/webhook/webhookSender';
import { WebhookReceiver, type ReceivedWebhook } from '../../src/runners/webhook/webhookReceiver';
import { FlakyServer } from '../support/flakyServer';
import { integrationFromYaml } from '../support/integrationFromYaml';

const STANDARD_SECRET = 'whsec_' + Buffer.from('thirty-two bytes of standard key').toString('base64');
const endpointsYaml = (url: string) => `  endpoints:
    - { name: to_github, url: "${url}/to_github", secret: gh-sender-secret, signature: github }
    - { name: to_standard, url: "${url}/to_standard", secret: "${STANDARD_SECRET}", signature: standard }
    - { name: to_slack, url: "${url}/to_slack", secret: slack-sender-secret, signature: slack }
    - { name: to_stripe, url: "${url}/to_stripe", secret: whsec_stripe_sender, signature: stripe }
    - { name: unsigned, url: "${url}/unsigned", signature: github }
`;

function senderIntegration(url: string, retry = '{ max_attempts: 3, base_delay: 20ms, max_delay: 1s, backoff_factor: 2, jitter: false }') {
  return integrationFromYaml('webhook', `integration:\n  type: webhook\n  name: outbound\n  timeout: 2s\n  retry: ${retry}\n${endpointsYaml(url)}`);
}

describe('webhook sender', () => {
  const receiver = new WebhookReceiver(integrationFromYaml('webhook', `integration:\n  type: webhook\n  name: outbound\n${endpointsYaml('http://unused')}`));
  const received: ReceivedWebhook[] = [];
  let receiverUrl = '';
  let flaky: Server;
  let flakyUrl = '';
  const flakyPlan: Array<number | [number, Record<string, string>]> = [];
  let flakyHits = 0;

  before(async () => {
    receiver.onDidReceive((event) => received.push(event));
    receiverUrl = (await receiver.start()).url;
    flaky = createServer((request, response) => {
      flakyHits++;
      request.resume();
      const planned = flakyPlan.shift() ?? 200;
      const [status, headers] = Array.isArray(planned) ? planned : [planned, {}];
      response.writeHead(status, headers).end();
    });
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
    flakyUrl = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}`;
  });
  after(async () => {
    await receiver.stop();
    flaky?.close();
    await closeSharedAgent();
  });

  for (const endpoint of ['to_github', 'to_standard', 'to_slack', 'to_stripe']) {
    it(`${endpoint}: a signed POST the receiver verifies and passes on`, async () => {
      const delivery = await sendWebhook(senderIntegration(receiverUrl), endpoint, 'task_completed', { task_id: 'T01' });
      assert.equal(delivery.ok, true, JSON.stringify(delivery.error));
      assert.equal(delivery.status, 200);
      assert.equal(delivery.attempts.length, 1);
      const event = received.at(-1)!;
      assert.equal(event.endpoint, endpoint);
      assert.deepEqual(event.body, delivery.event);
      assert.equal(event.headers['x-simone-event'], 'task_completed');
    });
  }

  it("sends the integration's auth header beside the signature, which still verifies", async () => {
    const integration = integrationFromYaml('webhook', `integration:\n  type: webhook\n  name: outbound\n  auth: { type: api_key, key: hook-api-key-77, header: X-Hook-Key }\n${endpointsYaml(receiverUrl)}`);
    const auth = new Authorizers().get(integration);
    const delivery = await sendWebhook(integration, 'to_github', 'task_completed', { task_id: 'T02' }, { auth });
    assert.equal(delivery.ok, true, JSON.stringify(delivery.error));
    assert.deepEqual(received.at(-1)!.body, delivery.event, 'verified and passed on');
    // The receiver passes on descriptive headers only: what was sent is seen by a plain server.
    const capture = await FlakyServer.start();
    try {
      const captured = integrationFromYaml('webhook', `integration:\n  type: webhook\n  name: outbound\n  auth: { type: api_key, key: hook-api-key-77, header: X-Hook-Key }\n${endpointsYaml(capture.url)}`);
      assert.equal((await sendWebhook(captured, 'to_github', 'task_completed', {}, { auth: new Authorizers().get(captured) })).ok, true);
      const headers = capture.requests[0].headers;
      assert.equal(headers['x-hook-key'], 'hook-api-key-77');
      assert.match(String(headers['x-hub-signature-256']), /^sha256=[0-9a-f]{64}$/);
    } finally {
      await capture.close();
    }
  });

  it('retries 503s with the configured backoff and records every attempt', async () => {
    flakyHits = 0;
    flakyPlan.push(503, 503);
    const delivery = await sendWebhook(senderIntegration(flakyUrl), 'to_github', 'task_completed', {});
    assert.equal(delivery.ok, true);
    assert.equal(flakyHits, 3);
    assert.deepEqual(delivery.attempts.map((attempt) => [attempt.status, attempt.delayMs]), [[503, 0], [503, 20], [200, 40]]);
    assert.equal(delivery.attempts[0].error?.kind, 'remote-5xx');
  });

  it('waits what Retry-After asks instead of the backoff', async () => {
    flakyPlan.push([429, { 'retry-after': '0' }]);
    const delivery = await sendWebhook(senderIntegration(flakyUrl), 'to_github', 'task_completed', {});
    assert.deepEqual(delivery.attempts.map((attempt) => [attempt.status, attempt.delayMs]), [[429, 0], [200, 0]]);
  });

  it('gives up after max_attempts, with the last status', async () => {
    flakyHits = 0;
    flakyPlan.push(500, 500, 500, 500);
    const delivery = await sendWebhook(senderIntegration(flakyUrl, '{ max_attempts: 2, base_delay: 10ms, jitter: false }'), 'to_github', 'x', {});
    assert.equal(delivery.ok, false);
    assert.equal(flakyHits, 2);
    assert.equal(delivery.status, 500);
    assert.equal(delivery.error?.kind, 'remote-5xx');
    flakyPlan.length = 0;
  });

  it('does not retry a 400', async () => {
    flakyHits = 0;
    flakyPlan.push(400);
    const delivery = await sendWebhook(senderIntegration(flakyUrl), 'to_github', 'x', {});
    assert.deepEqual([delivery.ok, delivery.status, delivery.attempts.length, flakyHits, delivery.error?.kind], [false, 400, 1, 1, 'remote-4xx']);
  });

  it('retries a refused connection and says so', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const delivery = await sendWebhook(senderIntegration(`http://127.0.0.1:${port}`, '{ max_attempts: 2, base_delay: 10ms }'), 'to_github', 'x', {});
    assert.equal(delivery.ok, false);
    assert.equal(delivery.attempts.length, 2);
    assert.deepEqual([delivery.error?.kind, delivery.error?.message], ['transient', 'connection refused']);
  });

  it('refuses an endpoint without a secret before sending anything', async () => {
    flakyHits = 0;
    const delivery = await sendWebhook(senderIntegration(flakyUrl), 'unsigned', 'x', {});
    assert.deepEqual([delivery.ok, delivery.attempts.length, flakyHits, delivery.error?.kind], [false, 0, 0, 'config']);
    assert.match(delivery.error!.message, /no secret; unsigned webhooks are sent only with signature: none/);
  });

  it('refuses a secret its scheme cannot use as a config error, without attempts or retries', async () => {
    flakyHits = 0;
    const integration = senderIntegration(flakyUrl);
    const broken = { ...integration, endpoints: integration.endpoints.map((endpoint) => (endpoint.name === 'to_standard' ? { ...endpoint, secret: 'whsec_not base64!' } : endpoint)) };
    const delivery = await sendWebhook(broken, 'to_standard', 'x', {});
    assert.deepEqual([delivery.ok, delivery.attempts.length, flakyHits, delivery.error?.kind], [false, 0, 0, 'config']);
  });
});
