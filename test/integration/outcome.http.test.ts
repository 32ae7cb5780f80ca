import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { RequestResponseIntegration } from '../../src/core/model';
import { endpointResultJson } from '../../src/runners/http/endpointResultJson';
import { ResilienceRegistry } from '../../src/runners/http/resilienceRegistry';
import { runAllEndpoints } from '../../src/runners/http/runAllEndpoints';
import { runEndpoint, type RunEndpointOptions } from '../../src/runners/http/runEndpoint';
import { closeSharedAgent } from '../../src/runners/http/sharedAgent';
import type { RunEvent } from '../../src/runners/runEvents';
import { FlakyServer, ok, sequence } from '../support/flakyServer';
import { httpIntegration } from '../support/httpIntegration';

/** Timer slack on a busy shared machine. */
const SLACK_MS = 150;

/** What a webview or a log line gets: the result through JSON, which must lose nothing. */
const throughJson = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('outcome contract: HTTP endpoint', () => {
  let server: FlakyServer;
  let registry: ResilienceRegistry;
  const run = (integration: RequestResponseIntegration, options: RunEndpointOptions = {}) => runEndpoint(integration, 'ping', { registry, ...options });

  before(async () => {
    server = await FlakyServer.start();
  });
  beforeEach(() => {
    registry = new ResilienceRegistry();
  });
  after(async () => {
    await server.close();
    await closeSharedAgent();
  });

  it('a success: ok, the answer, and nothing lost through JSON', async () => {
    server.respond(ok({ hello: 'world' }));
    const result = await run(httpIntegration(server.url));
    assert.equal(result.ok, true);
    assert.equal(result.error, undefined);
    assert.deepEqual(throughJson(result).response?.body, { hello: 'world' });
    assert.equal(throughJson(endpointResultJson(result)).response?.body, JSON.stringify({ hello: 'world' }, null, 2));
  });

  it('a failure: ok false with a classified error whose message survives JSON', async () => {
    server.respond({ status: 500 });
    const result = await run(httpIntegration(server.url, { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1, backoffFactor: 1, jitter: false } }));
    assert.equal(result.ok, false);
    assert.deepEqual(throughJson(result).error, { kind: 'remote-5xx', severity: 'error', message: '500 Internal Server Error', code: '500' });
    assert.deepEqual(throughJson(endpointResultJson(result)).error, { kind: 'remote-5xx', message: '500 Internal Server Error' });
  });

  it('a cancel: kind cancelled, in the result and not thrown', async () => {
    server.respond('stall');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const result = await run(httpIntegration(server.url, { timeoutMs: 5000 }), { signal: controller.signal });
    assert.equal(result.ok, false);
    assert.deepEqual(throughJson(result).error, { kind: 'cancelled', severity: 'warning', message: 'cancelled' });
    assert.deepEqual(result.attempts.map((attempt) => attempt.error?.kind), ['cancelled']);
  });

  it('a cancel during a long backoff ends the run at once and sends nothing more', async () => {
    server.respond({ status: 503 });
    const controller = new AbortController();
    const integration = httpIntegration(server.url, { retry: { maxAttempts: 3, baseDelayMs: 5000, maxDelayMs: 5000, backoffFactor: 1, jitter: false } });
    const events: RunEvent[] = [];
    const running = run(integration, { signal: controller.signal, onEvent: (event) => events.push(event) });
    while (!events.some((event) => event.type === 'backoff')) await new Promise((resolve) => setTimeout(resolve, 5));
    const abortedAt = performance.now();
    controller.abort();
    const result = await running;
    assert.ok(performance.now() - abortedAt < SLACK_MS, `returned ${Math.round(performance.now() - abortedAt)} ms after the cancel`);
    assert.equal(result.error?.kind, 'cancelled');
    assert.deepEqual(result.attempts.map((attempt) => attempt.status), [503]);
    assert.equal(result.status, 503);
    assert.equal(server.requests.length, 1);
  });

  it('a flaky endpoint reports attempts, backoffs and the end, in order, matching result.attempts', async () => {
    server.respond(sequence({ status: 503 }, 'reset', ok()));
    const events: RunEvent[] = [];
    const integration = httpIntegration(server.url, { retry: { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 40, backoffFactor: 2, jitter: true } });
    const result = await run(integration, { onEvent: (event) => events.push(event) });
    assert.equal(result.ok, true);
    assert.equal(result.attempts.length, 3);
    const url = `${server.url}/ping`;
    const [first, second, third] = result.attempts;
    assert.deepEqual(events, [
      { type: 'attempt-started', attempt: 1, method: 'GET', url },
      { type: 'attempt-ended', attempt: 1, status: 503, error: first.error, durationMs: first.durationMs },
      { type: 'backoff', attempt: 2, delayMs: second.delayMs },
      { type: 'attempt-started', attempt: 2, method: 'GET', url },
      { type: 'attempt-ended', attempt: 2, error: second.error, durationMs: second.durationMs },
      { type: 'backoff', attempt: 3, delayMs: third.delayMs },
      { type: 'attempt-started', attempt: 3, method: 'GET', url },
      { type: 'attempt-ended', attempt: 3, status: 200, durationMs: third.durationMs },
    ]);
    assert.equal(first.error?.kind, 'remote-5xx');
    assert.equal(second.error?.kind, 'transient');
    assert.ok(second.delayMs >= 5 && second.delayMs <= 10 && third.delayMs >= 10 && third.delayMs <= 20, `delays ${second.delayMs}, ${third.delayMs}`);
  });

  it('a listener that throws does not break the run', async () => {
    server.respond(sequence({ status: 503 }, ok()));
    let calls = 0;
    const result = await run(httpIntegration(server.url), {
      onEvent: () => {
        calls++;
        throw new Error('listener bug');
      },
    });
    assert.equal(result.ok, true);
    assert.equal(result.attempts.length, 2);
    assert.equal(calls, 5, 'two attempts started and ended, one backoff');
  });

  it('a policy rejection is an event and the result: circuit open, bulkhead full, rate limited', async () => {
    const rejections = (events: RunEvent[]) => events.flatMap((event) => (event.type === 'rejected' ? [[event.policy, event.error.code]] : []));

    server.respond({ status: 500 });
    const breaker = httpIntegration(server.url, { retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, backoffFactor: 1, jitter: false }, circuitBreaker: { failureThreshold: 1, openMs: 10_000, halfOpenMaxCalls: 1 } });
    await run(breaker);
    const openEvents: RunEvent[] = [];
    const open = await run(breaker, { onEvent: (event) => openEvents.push(event) });
    assert.deepEqual(rejections(openEvents), [['circuit-open', 'circuit_open']]);
    assert.equal(open.error?.code, 'circuit_open');

    server.respond({ status: 200, delayMs: 60 });
    const full = httpIntegration(server.url, { name: 'narrow', bulkhead: { maxConcurrent: 1, maxQueue: 0 } });
    const fullEvents: RunEvent[] = [];
    const [, refused] = await Promise.all([run(full), run(full, { onEvent: (event) => fullEvents.push(event) })]);
    assert.deepEqual(rejections(fullEvents), [['bulkhead-full', 'bulkhead_full']]);
    assert.equal(refused.error?.code, 'bulkhead_full');

    server.respond(ok());
    const limited = httpIntegration(server.url, { name: 'limited', timeoutMs: 100, rateLimit: { requestsPerMinute: 60, burstSize: 1 } });
    await run(limited);
    const limitedEvents: RunEvent[] = [];
    const slowed = await run(limited, { onEvent: (event) => limitedEvents.push(event) });
    assert.deepEqual(rejections(limitedEvents), [['rate-limited', 'rate_limited']]);
    assert.deepEqual(limitedEvents.map((event) => event.type), ['rejected'], 'a rejected call is no attempt');
    assert.equal(throughJson(slowed).error?.message, 'rate limit: no request slot within 100 ms (60/min, burst 1)');
  });

  it('test all endpoints shares one registry among its calls even when given none', async () => {
    server.respond({ status: 500 });
    const integration = httpIntegration(server.url, {
      retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, backoffFactor: 1, jitter: false },
      circuitBreaker: { failureThreshold: 2, openMs: 10_000, halfOpenMaxCalls: 1 },
      endpoints: ['a', 'b', 'c'].map((name) => ({ name, url: `/${name}` })),
    });
    const results = await runAllEndpoints(integration, { concurrency: 1 });
    assert.deepEqual(results.map((result) => result.error?.code), ['500', '500', 'circuit_open'], 'the third call met the breaker the first two opened');
  });
});
