import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { request as undiciRequest } from 'undici';
import { SIGNATURE_SCHEMES } from '../../src/runners/webhook/signatureSchemes';
import { WebhookReceiver, type ReceivedWebhook, type RejectedWebhook } from '../../src/runners/webhook/webhookReceiver';
import { integrationFromYaml } from '../support/integrationFromYaml';
import { jsonBodyOf, postHead, rawExchange, statusOf } from '../support/rawHttpClient';

const GITHUB_SECRET = 'gh-receiver-secret';
const STANDARD_SECRET = 'whsec_' + Buffer.from('thirty-two bytes of standard key').toString('base64');
const SLACK_SECRET = 'slack-receiver-secret';

const integration = integrationFromYaml(
  'webhook',
  `integration:
  type: webhook
  name: inbound
  endpoints:
    - { name: github_push, secret: ${GITHUB_SECRET} }
    - { name: standard_hook, secret: "${STANDARD_SECRET}", signature: standard }
    - { name: slack_command, secret: ${SLACK_SECRET}, signature: slack }
    - { name: no_secret, signature: github }
    - { name: open_hook, signature: none }
  receiver: { port: 0, path_prefix: /hooks, tolerance: 5m, max_body: 1KB }
`,
);

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: { ok?: boolean; error?: string };
}

/** A raw node:http client, so an early answer to a large body can be seen. */
function send(url: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean }): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const body = options.body ?? '';
    const headers = { 'content-type': 'application/json', ...(options.chunked ? {} : { 'content-length': String(Buffer.byteLength(body)) }), ...options.headers };
    const req = request(url, { method: options.method ?? 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString() || '{}') }));
    });
    // Writing the rest of an oversized body may fail once the server closes; the answer has already come.
    req.on('error', (error) => reject(error));
    if (options.chunked && Buffer.isBuffer(body)) {
      for (let offset = 0; offset < body.length; offset += 256) req.write(body.subarray(offset, offset + 256));
      req.end();
    } else req.end(body);
  });
}

describe('webhook receiver over real HTTP', () => {
  const receiver = new WebhookReceiver(integration);
  const received: ReceivedWebhook[] = [];
  const rejected: RejectedWebhook[] = [];
  let base = '';

  before(async () => {
    receiver.onDidReceive((event) => received.push(event));
    receiver.onDidReject((event) => rejected.push(event));
    const { url, port } = await receiver.start();
    assert.ok(port > 0);
    assert.equal(url, `http://127.0.0.1:${port}/hooks`);
    base = url;
  });
  after(() => receiver.stop());

  const payload = (n: number) => JSON.stringify({ type: 'task_completed', data: { task_id: `T${n}` } });

  it('binds 127.0.0.1 by default', () => {
    assert.equal(receiver.settings.host, '127.0.0.1');
  });

  it('a validly signed delivery is answered 200 and streamed to listeners with a parsed body', async () => {
    const body = payload(1);
    const reply = await send(`${base}/github_push`, { body, headers: { ...SIGNATURE_SCHEMES.github.sign(body, GITHUB_SECRET), 'x-github-event': 'push', authorization: 'Bearer not-for-listeners' } });
    assert.equal(reply.status, 200);
    const event = received.at(-1)!;
    assert.equal(event.integration, 'inbound');
    assert.equal(event.endpoint, 'github_push');
    assert.deepEqual(event.body, { type: 'task_completed', data: { task_id: 'T1' } });
    assert.equal(event.headers['x-github-event'], 'push');
    assert.equal(event.headers.authorization, undefined);
    assert.ok(Math.abs(Date.parse(event.receivedAt) - Date.now()) < 5000);
  });

  it('standard and slack (form-encoded) deliveries verify with their own schemes', async () => {
    const body = payload(2);
    assert.equal((await send(`${base}/standard_hook`, { body, headers: SIGNATURE_SCHEMES.standard.sign(body, STANDARD_SECRET) })).status, 200);
    assert.equal(received.at(-1)!.endpoint, 'standard_hook');
    assert.ok(received.at(-1)!.headers['webhook-id']?.startsWith('msg_'));
    const form = 'command=%2Fdeploy&text=now';
    const reply = await send(`${base}/slack_command`, { body: form, headers: { 'content-type': 'application/x-www-form-urlencoded', ...SIGNATURE_SCHEMES.slack.sign(form, SLACK_SECRET) } });
    assert.equal(reply.status, 200);
    assert.deepEqual(received.at(-1)!.body, { command: '/deploy', text: 'now' });
  });

  it('an invalid signature is refused with 401 and a reason, and never passed on', async () => {
    const before = received.length;
    const body = payload(3);
    const wrong = await send(`${base}/github_push`, { body, headers: SIGNATURE_SCHEMES.github.sign(body, 'not-the-secret') });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.body, { error: 'signature mismatch' });
    const tampered = await send(`${base}/github_push`, { body: payload(4), headers: SIGNATURE_SCHEMES.github.sign(body, GITHUB_SECRET) });
    assert.equal(tampered.status, 401);
    const missing = await send(`${base}/standard_hook`, { body });
    assert.deepEqual([missing.status, missing.body.error], [401, 'missing header webhook-id']);
    const stale = await send(`${base}/standard_hook`, { body, headers: SIGNATURE_SCHEMES.standard.sign(body, STANDARD_SECRET, { timestamp: Math.floor(Date.now() / 1000) - 600 }) });
    assert.equal(stale.status, 401);
    assert.match(stale.body.error!, /^timestamp outside tolerance by 5 minutes( 1 second)? \(too old\)$/);
    assert.equal(received.length, before);
    assert.ok(rejected.some((rejection) => rejection.endpoint === 'github_push' && rejection.status === 401));
    for (const reply of [wrong, tampered, missing, stale]) assert.ok(!JSON.stringify(reply.body).includes(GITHUB_SECRET) && !JSON.stringify(reply.body).includes(STANDARD_SECRET));
  });

  it('a replayed delivery is refused with 409; a fresh one with the same body but a new id passes', async () => {
    const body = payload(5);
    const headers = SIGNATURE_SCHEMES.standard.sign(body, STANDARD_SECRET);
    assert.equal((await send(`${base}/standard_hook`, { body, headers })).status, 200);
    const before = received.length;
    const replay = await send(`${base}/standard_hook`, { body, headers });
    assert.equal(replay.status, 409);
    assert.match(replay.body.error!, /^replayed delivery/);
    assert.equal(received.length, before);
    assert.equal((await send(`${base}/standard_hook`, { body, headers: SIGNATURE_SCHEMES.standard.sign(body, STANDARD_SECRET) })).status, 200);
    const github = SIGNATURE_SCHEMES.github.sign(payload(6), GITHUB_SECRET);
    assert.equal((await send(`${base}/github_push`, { body: payload(6), headers: github })).status, 200);
    assert.equal((await send(`${base}/github_push`, { body: payload(6), headers: github })).status, 409);
  });

  it('an oversized body is refused with 413, declared or streamed, and the connection is closed', async () => {
    const before = received.length;
    const big = Buffer.from(JSON.stringify({ data: 'x'.repeat(200_000) }));
    const declared = await send(`${base}/github_push`, { body: big, headers: SIGNATURE_SCHEMES.github.sign(big, GITHUB_SECRET) });
    assert.equal(declared.status, 413);
    assert.equal(declared.headers.connection, 'close');
    assert.deepEqual(declared.body, { error: 'body larger than 1024 bytes' });
    const streamed = await send(`${base}/github_push`, { body: big, chunked: true, headers: SIGNATURE_SCHEMES.github.sign(big, GITHUB_SECRET) });
    assert.equal(streamed.status, 413);
    assert.equal(received.length, before);
    // The receiver still serves new connections.
    const body = payload(7);
    assert.equal((await send(`${base}/github_push`, { body, headers: SIGNATURE_SCHEMES.github.sign(body, GITHUB_SECRET) })).status, 200);
  });

  it('an unknown endpoint is 404, and a method other than POST is 405 with Allow: POST', async () => {
    const unknown = await send(`${base}/nothing_here`, { body: '{}' });
    assert.deepEqual([unknown.status, unknown.body.error], [404, 'no webhook endpoint at /hooks/nothing_here']);
    assert.equal((await send(`${new URL(base).origin}/github_push`, { body: '{}' })).status, 404);
    const get = await send(`${base}/github_push`, { method: 'GET' });
    assert.equal(get.status, 405);
    assert.equal(get.headers.allow, 'POST');
  });

  it('an endpoint without a secret rejects even unsigned requests; only signature: none accepts them', async () => {
    const before = received.length;
    const unsigned = await send(`${base}/no_secret`, { body: payload(8) });
    assert.equal(unsigned.status, 401);
    assert.match(unsigned.body.error!, /no secret; unsigned webhooks are accepted only with signature: none/);
    assert.equal(received.length, before);
    assert.equal((await send(`${base}/open_hook`, { body: payload(9) })).status, 200);
    assert.equal(received.at(-1)!.endpoint, 'open_hook');
  });

  it('a verified body that is not JSON is refused with 400', async () => {
    const body = 'not json';
    const reply = await send(`${base}/github_push`, { body, headers: SIGNATURE_SCHEMES.github.sign(body, GITHUB_SECRET) });
    assert.deepEqual([reply.status, reply.body.error], [400, 'body is not JSON']);
  });
});

describe('webhook receiver lifecycle', () => {
  it('stops when its AbortSignal aborts', async () => {
    const controller = new AbortController();
    const receiver = new WebhookReceiver(integration);
    const { url } = await receiver.start(controller.signal);
    controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await assert.rejects(send(`${url}/open_hook`, { body: '{}' }), /ECONNREFUSED/);
  });

  it('says clearly when its port is taken', async () => {
    const first = new WebhookReceiver(integration);
    const { port } = await first.start();
    try {
      await assert.rejects(new WebhookReceiver(integration, { port }).start(), { message: `cannot listen on 127.0.0.1:${port}: EADDRINUSE` });
    } finally {
      await first.stop();
    }
  });
});

describe('webhook receiver under hostile clients', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const signedHead = (path: string, length: number) => postHead(path, length, { 'X-Hub-Signature-256': 'sha256=' + '0'.repeat(64) });

  async function started(limits: ConstructorParameters<typeof WebhookReceiver>[2] = {}) {
    const receiver = new WebhookReceiver(integration, {}, limits);
    const rejected: RejectedWebhook[] = [];
    receiver.onDidReject((event) => rejected.push(event));
    const { port, url } = await receiver.start();
    return { receiver, rejected, port, url, path: new URL(url).pathname };
  }

  it('refuses a request without its signature header before reading its body, and closes the connection', async () => {
    const { receiver, rejected, port, path } = await started();
    try {
      // 1 MB declared, not a byte of it sent: only an answer that does not wait for the body can come.
      const github = rawExchange(port, postHead(`${path}/github_push`, 1024 * 1024));
      const ended = await github.ended;
      assert.equal(ended.error, undefined);
      assert.equal(statusOf(github.answer()), 401);
      assert.match(github.answer(), /\r\nConnection: close\r\n/i);
      assert.deepEqual(jsonBodyOf(github.answer()), { error: 'missing header X-Hub-Signature-256' });
      // Standard Webhooks needs three headers: the first missing one is named, as verify names it.
      const standard = rawExchange(port, postHead(`${path}/standard_hook`, 100, { 'webhook-signature': 'v1,x' }));
      await standard.ended;
      assert.deepEqual([statusOf(standard.answer()), jsonBodyOf(standard.answer())], [401, { error: 'missing header webhook-id' }]);
      assert.deepEqual(
        rejected.map((event) => [event.integration, event.endpoint, event.status]),
        [
          ['inbound', 'github_push', 401],
          ['inbound', 'standard_hook', 401],
        ],
      );
    } finally {
      await receiver.stop();
    }
  });

  it('a client that writes its whole oversized body before reading gets the 413, not a reset', async () => {
    const { receiver, port, path } = await started();
    try {
      const body = Buffer.alloc(4 * 1024 * 1024, 'x');
      const exchange = rawExchange(port, signedHead(`${path}/github_push`, body.length));
      exchange.socket.pause();
      const written = await new Promise<Error | undefined | null>((resolve) => exchange.socket.write(body, resolve));
      assert.equal(written ?? undefined, undefined, 'the receiver drops the rest of the body instead of resetting');
      exchange.socket.resume();
      exchange.socket.end();
      assert.deepEqual(await exchange.ended, {});
      assert.equal(statusOf(exchange.answer()), 413);
      assert.deepEqual(jsonBodyOf(exchange.answer()), { error: 'body larger than 1024 bytes' });
    } finally {
      await receiver.stop();
    }
  });

  it('undici sending a large body reads the 413 and its reason', async () => {
    const { receiver, url } = await started();
    try {
      for (const body of [Buffer.alloc(8 * 1024 * 1024, 'x'), Buffer.alloc(64 * 1024, 'x')]) {
        const response = await undiciRequest(`${url}/github_push`, { method: 'POST', body, headers: SIGNATURE_SCHEMES.github.sign(body, GITHUB_SECRET) });
        assert.equal(response.statusCode, 413);
        assert.deepEqual(await response.body.json(), { error: 'body larger than 1024 bytes' });
      }
    } finally {
      await receiver.stop();
    }
  });

  it('a body that trickles is cut at the body timeout with 408', async () => {
    const { receiver, rejected, port, path } = await started({ bodyTimeoutMs: 300 });
    try {
      const exchange = rawExchange(port, signedHead(`${path}/github_push`, 100));
      const trickle = setInterval(() => exchange.socket.write('x'), 50);
      const started = performance.now();
      try {
        await exchange.answered;
      } finally {
        clearInterval(trickle);
      }
      const waited = performance.now() - started;
      assert.equal(statusOf(exchange.answer()), 408);
      assert.ok(waited >= 250 && waited < 5000, `answered after ${Math.round(waited)} ms`);
      await exchange.ended;
      assert.deepEqual(jsonBodyOf(exchange.answer()), { error: 'body not received within 300 ms' });
      assert.equal(rejected.at(-1)?.status, 408);
    } finally {
      await receiver.stop();
    }
  });

  it('headers that never end are cut at the headers timeout', async () => {
    const { receiver, port, path } = await started({ headersTimeoutMs: 300 });
    try {
      const exchange = rawExchange(port, `POST ${path}/github_push HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
      const trickle = setInterval(() => exchange.socket.write('X-Slow: 1\r\n'), 50);
      const started = performance.now();
      try {
        await exchange.ended;
      } finally {
        clearInterval(trickle);
      }
      assert.equal(statusOf(exchange.answer()), 408);
      // Node's own defaults would hold it for 60-90 s.
      assert.ok(performance.now() - started < 5000, `cut after ${Math.round(performance.now() - started)} ms`);
    } finally {
      await receiver.stop();
    }
  });

  it('past the in-flight body budget a request gets 503, and gets through once the budget is free again', async () => {
    const { receiver, rejected, port, path, url } = await started({ maxInFlightBodyBytes: 1500 });
    try {
      const parked = rawExchange(port, signedHead(`${path}/github_push`, 1000));
      parked.socket.write('x'.repeat(800));
      await sleep(100);
      const second = rawExchange(port, signedHead(`${path}/github_push`, 1000));
      await second.ended;
      assert.equal(statusOf(second.answer()), 503);
      assert.deepEqual(jsonBodyOf(second.answer()), { error: 'too many request bodies in flight; try again shortly' });
      parked.socket.destroy();
      await sleep(100);
      const body = JSON.stringify({ n: 1 });
      assert.equal((await send(`${url}/github_push`, { body, headers: SIGNATURE_SCHEMES.github.sign(body, GITHUB_SECRET) })).status, 200);
      assert.ok(rejected.some((event) => event.status === 503));
    } finally {
      await receiver.stop();
    }
  });

  it('past the connection cap a request gets 503; below it again, it is served', async () => {
    const { receiver, port, url } = await started({ maxConnections: 3 });
    try {
      const idle = Array.from({ length: 3 }, () => rawExchange(port, ''));
      await sleep(100);
      const refused = await send(`${url}/open_hook`, { body: '{}' });
      assert.deepEqual([refused.status, refused.body.error, refused.headers['retry-after']], [503, 'too many connections', '1']);
      for (const exchange of idle) exchange.socket.destroy();
      await sleep(100);
      assert.equal((await send(`${url}/open_hook`, { body: '{}' })).status, 200);
    } finally {
      await receiver.stop();
    }
  });
});
