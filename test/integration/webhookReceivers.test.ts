import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { EngineServices } from '../../src/runners/engineServices';
import { SIGNATURE_SCHEMES } from '../../src/runners/webhook/signatureSchemes';
import type { ReceivedWebhook, RejectedWebhook } from '../../src/runners/webhook/webhookReceiver';
import { WebhookReceivers, type ReceiverChange } from '../../src/runners/webhook/webhookReceivers';
import { integrationFromYaml } from '../support/integrationFromYaml';

const SECRET = 'registry-secret';

const hooks = (name: string, extra = '') =>
  integrationFromYaml('webhook', `integration:\n  type: webhook\n  name: ${name}\n  endpoints:\n    - { name: push, secret: ${SECRET} }\n  receiver: { port: 0${extra} }\n`);

function post(url: string, body: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', ...headers } }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
    });
    outgoing.once('error', reject);
    outgoing.end(body);
  });
}

describe('WebhookReceivers: the running receivers, keyed by integration, over real HTTP', () => {
  it('starts and stops receivers, announcing each change, and streams every delivery and rejection', async () => {
    const receivers = new WebhookReceivers();
    const changes: ReceiverChange[] = [];
    const received: ReceivedWebhook[] = [];
    const rejected: RejectedWebhook[] = [];
    receivers.onDidChange((change) => changes.push(change));
    receivers.onDidReceive((event) => received.push(event));
    receivers.onDidReject((event) => rejected.push(event));
    try {
      const github = await receivers.start(hooks('github_hooks'));
      const stripe = await receivers.start(hooks('stripe_hooks'));
      assert.notEqual(github.port, stripe.port);
      assert.deepEqual(
        receivers.running().map(({ integration }) => integration),
        ['github_hooks', 'stripe_hooks'],
      );
      const body = JSON.stringify({ type: 'push' });
      assert.equal(await post(`${github.url}/push`, body, SIGNATURE_SCHEMES.github.sign(body, SECRET)), 200);
      assert.equal(await post(`${stripe.url}/push`, body), 401);
      assert.deepEqual(
        received.map(({ integration, endpoint }) => [integration, endpoint]),
        [['github_hooks', 'push']],
      );
      assert.deepEqual(
        rejected.map(({ integration, status, reason }) => [integration, status, reason]),
        [['stripe_hooks', 401, 'missing header X-Hub-Signature-256']],
      );

      await receivers.stop('github_hooks');
      await assert.rejects(post(`${github.url}/push`, body), /ECONNREFUSED/);
      assert.deepEqual(
        receivers.running().map(({ integration }) => integration),
        ['stripe_hooks'],
      );
      assert.deepEqual(
        changes.map(({ integration, running }) => [integration, running?.port]),
        [
          ['github_hooks', github.port],
          ['stripe_hooks', stripe.port],
          ['github_hooks', undefined],
        ],
      );
    } finally {
      await receivers.dispose();
    }
  });

  it('a second start with the same settings returns the running receiver; with other settings it is refused', async () => {
    const receivers = new WebhookReceivers();
    let changes = 0;
    receivers.onDidChange(() => changes++);
    try {
      const [first, second] = await Promise.all([receivers.start(hooks('twice')), receivers.start(hooks('twice'))]);
      assert.deepEqual(second, first);
      assert.deepEqual(await receivers.start(hooks('twice')), first);
      assert.equal(changes, 1);
      await assert.rejects(receivers.start(hooks('twice', ', path_prefix: /other')), { message: 'the receiver of twice is already running with other settings; stop it first' });
      assert.equal(receivers.running().length, 1);
    } finally {
      await receivers.dispose();
    }
  });

  it('a receiver that cannot listen is not kept, and the name can be started again', async () => {
    const receivers = new WebhookReceivers();
    try {
      const taken = await receivers.start(hooks('holder'));
      await assert.rejects(receivers.start(hooks('blocked'), { overrides: { port: taken.port } }), { message: `cannot listen on 127.0.0.1:${taken.port}: EADDRINUSE` });
      assert.deepEqual(
        receivers.running().map(({ integration }) => integration),
        ['holder'],
      );
      assert.ok((await receivers.start(hooks('blocked'))).port > 0);
    } finally {
      await receivers.dispose();
    }
  });

  it('dispose stops every receiver', async () => {
    const receivers = new WebhookReceivers();
    const urls = await Promise.all(['a', 'b', 'c'].map(async (name) => (await receivers.start(hooks(name))).url));
    const stopped: string[] = [];
    receivers.onDidChange(({ integration, running }) => running || stopped.push(integration));
    await receivers.dispose();
    assert.deepEqual(receivers.running(), []);
    assert.deepEqual(stopped.sort(), ['a', 'b', 'c']);
    for (const url of urls) await assert.rejects(post(`${url}/push`, '{}'), /ECONNREFUSED/);
  });

  it('EngineServices holds one registry, and its dispose stops the receivers', async () => {
    const services = new EngineServices();
    const { url } = await services.receivers.start(hooks('engine'));
    assert.equal(await post(`${url}/push`, '{}'), 401);
    await services.dispose();
    assert.deepEqual(services.receivers.running(), []);
    await assert.rejects(post(`${url}/push`, '{}'), /ECONNREFUSED/);
  });
});
