import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { RequestResponseIntegration } from '../../src/core/model';
import type { BreakerState } from '../../src/runners/http/integrationBreaker';
import { ResilienceRegistry, type BreakerChange } from '../../src/runners/http/resilienceRegistry';
import { runEndpoint } from '../../src/runners/http/runEndpoint';
import { closeSharedAgent } from '../../src/runners/http/sharedAgent';
import { FlakyServer, ok } from '../support/flakyServer';
import { httpIntegration } from '../support/httpIntegration';

const OPEN_MS = 60;
const NO_RETRY = { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, backoffFactor: 1, jitter: false };

describe('circuit breaker per integration', () => {
  let server: FlakyServer;
  let registry: ResilienceRegistry;
  let changes: BreakerChange[];
  const run = (integration: RequestResponseIntegration) => runEndpoint(integration, 'ping', { registry });
  const breakerFor = (overrides: Partial<RequestResponseIntegration['circuitBreaker']> = {}) =>
    httpIntegration(server.url, { retry: NO_RETRY, circuitBreaker: { failureThreshold: 2, openMs: OPEN_MS, halfOpenMaxCalls: 1, ...overrides } });
  const states = (): BreakerState[] => changes.map((change) => change.state);
  /** Two failures open the breaker (threshold 2); after its open time the next call is a trial. */
  const openAndWaitForTrial = async (integration: RequestResponseIntegration) => {
    server.respond({ status: 500 });
    await run(integration);
    await run(integration);
    await delay(OPEN_MS + 10);
  };

  before(async () => {
    server = await FlakyServer.start();
  });
  beforeEach(() => {
    registry = new ResilienceRegistry();
    const received: BreakerChange[] = (changes = []);
    registry.onDidChangeBreaker((change) => received.push(change));
  });
  afterEach(() => registry?.dispose());
  after(async () => {
    await server?.close();
    await closeSharedAgent();
  });

  it('goes closed, open, half-open and closed again', async () => {
    const integration = breakerFor();
    server.respond({ status: 500 });
    assert.equal((await run(integration)).breaker, 'closed');
    const opening = await run(integration);
    assert.equal(opening.breaker, 'open');
    assert.equal(registry.breakerState('api'), 'open');

    const rejected = await run(integration);
    assert.equal(rejected.error?.code, 'circuit_open');
    assert.equal(rejected.attempts.length, 0);
    assert.equal(server.requests.length, 2, 'an open circuit sends nothing');

    await delay(OPEN_MS + 10);
    assert.equal(registry.breakerState('api'), 'half-open', 'the open time is over: the next call will be the trial');
    assert.deepEqual(states(), ['open', 'half-open'], 'announced without waiting for a call');
    server.respond({ status: 200, delayMs: 40 });
    const trial = run(integration);
    assert.equal(registry.breakerState('api'), 'half-open');
    const during = await run(integration);
    assert.equal(during.error?.code, 'circuit_open', 'half_open_max_calls: 1, so a caller during the trial is rejected');
    assert.equal(during.attempts.length, 0);
    assert.equal((await trial).ok, true);
    assert.equal(registry.breakerState('api'), 'closed');
    assert.deepEqual(states(), ['open', 'half-open', 'closed']);
    assert.deepEqual(registry.breakerStates(), [{ integration: 'api', state: 'closed' }]);
  });

  it('reopens when the trial call fails', async () => {
    const integration = breakerFor();
    server.respond({ status: 503 });
    await run(integration);
    await run(integration);
    await delay(OPEN_MS + 10);
    const trial = await run(integration);
    assert.equal(trial.status, 503);
    assert.equal(trial.breaker, 'open');
    assert.deepEqual(states(), ['open', 'half-open', 'open']);
    assert.equal((await run(integration)).error?.code, 'circuit_open');
  });

  it('counts timeouts and resets, not 4xx answers', async () => {
    const integration = httpIntegration(server.url, { timeoutMs: 100, retry: NO_RETRY, circuitBreaker: { failureThreshold: 2, openMs: OPEN_MS, halfOpenMaxCalls: 1 } });
    server.respond({ status: 404 });
    for (let i = 0; i < 3; i++) await run(integration);
    assert.equal(registry.breakerState('api'), 'closed');
    server.respond('stall');
    assert.equal((await run(integration)).attempts[0].error?.kind, 'timeout');
    server.respond('reset');
    assert.equal((await run(integration)).breaker, 'open');
  });

  it('opens in the middle of a run and stops its retries', async () => {
    const integration = httpIntegration(server.url, { retry: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 1, backoffFactor: 1, jitter: false }, circuitBreaker: { failureThreshold: 2, openMs: OPEN_MS, halfOpenMaxCalls: 1 } });
    server.respond({ status: 500 });
    const result = await run(integration);
    assert.equal(result.attempts.length, 2);
    assert.equal(result.status, 500);
    assert.equal(result.error?.code, 'circuit_open');
    assert.equal(server.requests.length, 2);
  });

  it('with half_open_max_calls: 3 needs three good trial calls to close, and one bad one reopens', async () => {
    const integration = breakerFor({ halfOpenMaxCalls: 3 });
    await openAndWaitForTrial(integration);
    server.respond(ok());
    assert.equal((await run(integration)).breaker, 'half-open');
    assert.equal((await run(integration)).breaker, 'half-open');
    assert.equal((await run(integration)).breaker, 'closed');
    assert.deepEqual(states(), ['open', 'half-open', 'closed']);

    await openAndWaitForTrial(integration);
    server.respond(ok());
    assert.equal((await run(integration)).breaker, 'half-open');
    server.respond({ status: 500 });
    assert.equal((await run(integration)).breaker, 'open');
    assert.deepEqual(states().slice(3), ['open', 'half-open', 'open']);
  });

  it('limits concurrent trial calls to the ones left', async () => {
    const integration = breakerFor({ halfOpenMaxCalls: 2 });
    await openAndWaitForTrial(integration);
    server.respond(ok());
    await run(integration);
    server.respond({ status: 200, delayMs: 40 });
    const [second, third] = await Promise.all([run(integration), run(integration)]);
    assert.equal(second.ok, true);
    assert.equal(third.error?.code, 'circuit_open', 'only one trial call was left');
    assert.equal(registry.breakerState('api'), 'closed');
  });

  it('keeps one breaker per integration name across runs, and a fresh one when the settings change', async () => {
    server.respond({ status: 500 });
    const integration = breakerFor();
    await run(integration);
    await run({ ...integration, endpoints: [...integration.endpoints] });
    assert.equal(registry.breakerState('api'), 'open', 'a rebuilt model of the same integration shares the breaker');
    assert.equal(registry.breakerState('other'), undefined);
    registry.policiesFor(breakerFor({ failureThreshold: 3 }));
    assert.equal(registry.breakerState('api'), 'closed');
    assert.deepEqual(states(), ['open', 'closed']);
  });
});
