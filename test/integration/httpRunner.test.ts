import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ResilienceRegistry } from '../../src/runners/http/resilienceRegistry';
import { runAllEndpoints } from '../../src/runners/http/runAllEndpoints';
import { runEndpoint, type RunEndpointOptions } from '../../src/runners/http/runEndpoint';
import { closeSharedAgent } from '../../src/runners/http/sharedAgent';
import type { RequestResponseIntegration } from '../../src/core/model';
import { FlakyServer, flapping, ok, sequence } from '../support/flakyServer';
import { httpIntegration } from '../support/httpIntegration';

/** Timer slack on a busy shared machine: checks are lower bounds plus this much. */
const SLACK_MS = 150;

describe('request-response runner against a flaky server', () => {
  let server: FlakyServer;
  let registry: ResilienceRegistry;
  const run = (integration: RequestResponseIntegration, endpoint = 'ping', options: RunEndpointOptions = {}) => runEndpoint(integration, endpoint, { registry, ...options });

  before(async () => {
    server = await FlakyServer.start();
  });
  beforeEach(() => {
    registry = new ResilienceRegistry();
  });
  after(async () => {
    await server?.close();
    await closeSharedAgent();
  });

  it('fills the template URL-encoded, appends unused params as query, and reads a JSON answer', async () => {
    server.respond(ok({ id: 7, name: 'Ada' }));
    const integration = httpIntegration(`${server.url}/v1/`, { endpoints: [{ name: 'user', url: '/users/{id}/orders' }] });
    const result = await run(integration, 'user', { params: { id: 'a b/c', page: '2' } });
    assert.equal(result.ok, true);
    assert.equal(result.status, 200);
    assert.equal(server.requests[0].url, '/v1/users/a%20b%2Fc/orders?page=2');
    assert.deepEqual(result.response?.body, { id: 7, name: 'Ada' });
    assert.equal(result.attempts.length, 1);
    assert.equal(result.attempts[0].delayMs, 0);
    assert.ok(result.timing.firstByteMs! >= 0 && result.timing.firstByteMs! <= result.timing.totalMs);
    assert.equal(result.breaker, 'closed');
  });

  it('keeps a query on base_url after the endpoint path', async () => {
    server.respond(ok());
    const integration = httpIntegration(`${server.url}/api?tenant=t1`, { endpoints: [{ name: 'list', url: '/items?page={page}' }] });
    assert.equal((await run(integration, 'list', { params: { page: '3' } })).status, 200);
    assert.equal(server.requests[0].url, '/api/items?page=3&tenant=t1');
  });

  it('sends the method, headers and a JSON body', async () => {
    server.respond({ status: 201, body: { created: true } });
    const integration = httpIntegration(server.url, { endpoints: [{ name: 'create', url: '/items', method: 'POST', headers: { 'x-team': 'core' }, body: { title: 'default' } }] });
    const result = await run(integration, 'create', { body: { title: 'given' } });
    assert.equal(result.status, 201);
    const received = server.requests[0];
    assert.equal(received.method, 'POST');
    assert.equal(received.headers['x-team'], 'core');
    assert.equal(received.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(received.body), { title: 'given' });
  });

  it('fills {param} placeholders in the body, as values, without adding them to the query', async () => {
    server.respond({ status: 201, body: {} });
    const integration = httpIntegration(server.url, { endpoints: [{ name: 'create', url: '/issues/{project}', method: 'POST', body: { title: '{title}', labels: ['{label}', 'fixed'] } }] });
    const result = await run(integration, 'create', { params: { project: 'p1', title: 'Say "hi" {now}', label: 'bug' } });
    assert.equal(result.status, 201);
    assert.equal(server.requests[0].url, '/issues/p1');
    assert.deepEqual(JSON.parse(server.requests[0].body), { title: 'Say "hi" {now}', labels: ['bug', 'fixed'] });
    const missing = await run(integration, 'create', { params: { project: 'p1' } });
    assert.equal(missing.error?.message, 'endpoint "create" needs the parameter "title" (--param title=...)');
  });

  it('retries 500s with exponential backoff in the jittered upper half, then succeeds', async () => {
    server.respond(sequence({ status: 500 }, { status: 500 }, { status: 500 }, ok()));
    const integration = httpIntegration(server.url, { retry: { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 50, backoffFactor: 2, jitter: true } });
    const result = await run(integration);
    assert.equal(result.ok, true);
    assert.deepEqual(result.attempts.map((attempt) => attempt.status), [500, 500, 500, 200]);
    assert.equal(server.requests.length, 4);
    // Caps: 20, 40, min(80, 50) = 50; each delay within [cap/2, cap].
    const caps = [20, 40, 50];
    result.attempts.slice(1).forEach((attempt, index) => {
      assert.ok(attempt.delayMs >= caps[index] / 2 && attempt.delayMs <= caps[index], `delay ${attempt.delayMs} for cap ${caps[index]}`);
      const gap = server.requests[index + 1].at - server.requests[index].at;
      assert.ok(gap >= attempt.delayMs - 1, `server saw the retry after ${gap} ms, planned ${attempt.delayMs}`);
    });
    assert.equal(result.timing.backoffMs, result.attempts.reduce((sum, attempt) => sum + attempt.delayMs, 0));
  });

  it('gives up after max_attempts and reports the last failure, classified', async () => {
    server.respond({ status: 503 });
    const result = await run(httpIntegration(server.url, { retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2, backoffFactor: 2, jitter: false } }));
    assert.equal(result.ok, false);
    assert.equal(result.status, 503);
    assert.equal(result.attempts.length, 3);
    assert.equal(server.requests.length, 3);
    assert.deepEqual(result.attempts.map((attempt) => attempt.delayMs), [0, 1, 2]);
    assert.equal(result.error?.kind, 'remote-5xx');
    assert.equal(result.error?.message, '503 Service Unavailable');
  });

  for (const status of [400, 404, 422]) {
    it(`does not retry a ${status}`, async () => {
      server.respond({ status, body: { error: 'nope' } });
      const result = await run(httpIntegration(server.url));
      assert.equal(result.attempts.length, 1);
      assert.equal(server.requests.length, 1);
      assert.equal(result.ok, false);
      assert.equal(result.error?.kind, 'remote-4xx');
      assert.deepEqual(result.response?.body, { error: 'nope' });
    });
  }

  for (const status of [408, 425, 429, 502]) {
    it(`retries a ${status}`, async () => {
      server.respond(sequence({ status }, ok()));
      const result = await run(httpIntegration(server.url));
      assert.deepEqual(result.attempts.map((attempt) => attempt.status), [status, 200]);
    });
  }

  it('honours Retry-After in seconds and as an HTTP date, capped at max_delay', async () => {
    const retry = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 30, backoffFactor: 2, jitter: true };
    const pastDate = new Date(Date.now() - 60_000).toUTCString();
    server.respond(sequence({ status: 429, headers: { 'retry-after': '0' } }, { status: 503, headers: { 'retry-after': '120' } }, { status: 503, headers: { 'retry-after': pastDate } }, ok()));
    const result = await run(httpIntegration(server.url, { retry: { ...retry, maxDelayMs: 30 } }));
    assert.equal(result.ok, true);
    // 0 s asked: no wait although the backoff alone would wait 15..30 ms; 120 s asked: capped at 30 ms; a past date: no wait.
    assert.deepEqual(result.attempts.map((attempt) => attempt.delayMs), [0, 0, 30, 0]);
  });

  it('retries a reset connection as a transient failure', async () => {
    server.respond(sequence('reset', ok()));
    const result = await run(httpIntegration(server.url));
    assert.equal(result.ok, true);
    assert.equal(result.attempts.length, 2);
    assert.equal(result.attempts[0].error?.kind, 'transient');
    assert.ok(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE'].includes(result.attempts[0].error?.code ?? ''), result.attempts[0].error?.code);
  });

  it('times out each attempt of a stalled server, aborting the request, then retries', async () => {
    server.respond(sequence('stall', 'stall', ok()));
    const result = await run(httpIntegration(server.url, { timeoutMs: 60 }));
    assert.equal(result.ok, true);
    assert.deepEqual(result.attempts.map((attempt) => attempt.error?.kind), ['timeout', 'timeout', undefined]);
    for (const attempt of result.attempts.slice(0, 2)) assert.ok(attempt.durationMs >= 55 && attempt.durationMs < 60 + SLACK_MS, `attempt took ${attempt.durationMs} ms`);
    assert.equal(result.attempts[0].error?.message, 'no response within 60 ms');
  });

  it('retries refused connections and reports them transient when it gives up', async () => {
    const closed = await FlakyServer.start();
    const url = closed.url;
    await closed.close();
    const result = await run(httpIntegration(url, { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, backoffFactor: 1, jitter: false } }));
    assert.equal(result.ok, false);
    assert.equal(result.attempts.length, 2);
    assert.equal(result.status, undefined);
    assert.deepEqual(result.error, { kind: 'transient', severity: 'warning', message: 'connection refused', code: 'ECONNREFUSED' });
  });

  it('rejects calls beyond the bulkhead at once, without sending them', async () => {
    server.respond({ status: 200, delayMs: 80 });
    const integration = httpIntegration(server.url, { bulkhead: { maxConcurrent: 1, maxQueue: 1 } });
    const results = await Promise.all([run(integration), run(integration), run(integration)]);
    assert.deepEqual(results.map((result) => result.ok), [true, true, false]);
    assert.equal(results[2].error?.code, 'bulkhead_full');
    assert.equal(results[2].attempts.length, 0);
    assert.equal(server.requests.length, 2);
    assert.equal(server.maxInFlight, 1);
    assert.ok(results[1].timing.queuedMs >= 60, `the queued call waited ${results[1].timing.queuedMs} ms`);
  });

  it('rate-limits with a token bucket: the burst goes at once, the next call waits for a token', async () => {
    server.respond(ok());
    // 1200/min = one token every 50 ms, burst of 2.
    const integration = httpIntegration(server.url, { rateLimit: { requestsPerMinute: 1200, burstSize: 2 } });
    const startedAt = performance.now();
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await run(integration));
    assert.equal(results[0].timing.rateLimitWaitMs, 0);
    assert.equal(results[1].timing.rateLimitWaitMs, 0);
    // The bucket started after `startedAt` with 2 tokens; the third is there 50 ms later, whatever the calls took.
    assert.ok(results[2].timing.rateLimitWaitMs > 0 && results[2].timing.rateLimitWaitMs <= 50, `waited ${results[2].timing.rateLimitWaitMs} ms`);
    assert.ok(server.requests[2].at - startedAt >= 48, `third request after ${server.requests[2].at - startedAt} ms`);
  });

  it('rejects a call whose rate-limit wait would exceed the attempt timeout', async () => {
    server.respond(ok());
    const integration = httpIntegration(server.url, { timeoutMs: 100, rateLimit: { requestsPerMinute: 60, burstSize: 1 } });
    assert.equal((await run(integration)).ok, true);
    const rejected = await run(integration);
    assert.equal(rejected.ok, false);
    assert.equal(rejected.error?.code, 'rate_limited');
    assert.equal(rejected.attempts.length, 0);
    assert.equal(server.requests.length, 1);
  });

  it('reports a missing parameter or an unknown endpoint as a config error, sending nothing', async () => {
    server.respond(ok());
    const integration = httpIntegration(server.url, { endpoints: [{ name: 'user', url: '/users/{id}' }] });
    const missing = await run(integration, 'user');
    assert.equal(missing.error?.kind, 'config');
    assert.match(missing.error!.message, /needs the parameter "id"/);
    const unknown = await run(integration, 'nope');
    assert.equal(unknown.error?.kind, 'config');
    assert.equal(server.requests.length, 0);
  });

  it('redacts credentials in the URL and secret values from the result', async () => {
    server.respond(sequence('reset', { status: 500, body: 'internal: key=s3cr3t-value leaked' }));
    const integration = httpIntegration(`http://alice:hunter22@127.0.0.1:${server.port}`, {
      endpoints: [{ name: 'search', url: '/search?q=x&access_token=s3cr3t-value' }],
      auth: { type: 'bearer', token: 's3cr3t-value' },
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, backoffFactor: 1, jitter: false },
      // What the model builder collects from the schema's secret places (the token, the URL's password).
      secrets: ['s3cr3t-value', 'hunter22'],
    });
    const result = await run(integration, 'search');
    const text = JSON.stringify(result);
    assert.ok(!text.includes('s3cr3t-value') && !text.includes('hunter22') && !text.includes('alice'), text);
    assert.equal(result.url, `http://***@127.0.0.1:${server.port}/search?q=x&access_token=***`);
    assert.equal(result.response?.body, 'internal: key=*** leaked');
  });

  it('on a 401 asks the authorizer for a fresh credential and sends once more', async () => {
    let token = 0;
    let invalidated = 0;
    const auth = {
      authorize: async (headers: Record<string, string>) => {
        headers.authorization = `Bearer t${++token}`;
      },
      invalidate: () => invalidated++,
    };
    server.respond((request) => (request.headers.authorization === 'Bearer t2' ? ok() : { status: 401 }));
    const result = await run(httpIntegration(server.url), 'ping', { auth });
    assert.equal(result.ok, true);
    assert.deepEqual(result.attempts.map((attempt) => attempt.status), [401, 200]);
    assert.equal(invalidated, 1);
    server.respond({ status: 401 });
    const refused = await run(httpIntegration(server.url), 'ping', { auth });
    assert.deepEqual(refused.attempts.map((attempt) => attempt.status), [401, 401]);
    assert.equal(refused.error?.kind, 'auth');
  });

  it('stops at once when the caller aborts', async () => {
    server.respond('stall');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 40);
    const result = await run(httpIntegration(server.url, { timeoutMs: 5000 }), 'ping', { signal: controller.signal });
    assert.equal(result.ok, false);
    assert.equal(result.error?.message, 'cancelled');
    assert.equal(result.attempts.length, 1);
    assert.ok(result.durationMs < 40 + SLACK_MS);
  });

  it('tests all endpoints with bounded concurrency, results in endpoint order', async () => {
    server.respond((request) => (request.url === '/down' ? { status: 404 } : { status: 200, delayMs: 30, body: { path: request.url } }));
    const endpoints = ['/a', '/b', '/c', '/down', '/e', '/f'].map((url) => ({ name: url.slice(1), url }));
    const results = await runAllEndpoints(httpIntegration(server.url, { endpoints }), { concurrency: 2, registry });
    assert.deepEqual(results.map((result) => result.endpoint), ['a', 'b', 'c', 'down', 'e', 'f']);
    assert.deepEqual(results.map((result) => result.ok), [true, true, true, false, true, true]);
    assert.deepEqual(results[4].response?.body, { path: '/e' });
    assert.equal(server.maxInFlight, 2);
  });

  it('keeps going against a flapping server', async () => {
    server.respond(flapping({ status: 503 }, ok()));
    const integration = httpIntegration(server.url);
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await run(integration));
    assert.ok(results.every((result) => result.ok));
    assert.deepEqual(results.map((result) => result.attempts.length), [2, 2, 2]);
  });
});
