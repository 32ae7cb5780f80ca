import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TaskCancelledError, type IRetryBackoffContext } from 'cockatiel';
import type { RetrySettings } from '../../src/core/model';
import { AttemptFailure } from '../../src/runners/http/attemptFailure';
import { parseRetryAfter } from '../../src/runners/http/retryAfter';
import { RetryBackoff, retryDelayMs } from '../../src/runners/http/retryBackoff';
import { RateLimitPolicy, TokenBucket } from '../../src/runners/http/rateLimiter';
import { runnerError } from '../../src/runners/errors';

const settings: RetrySettings = { maxAttempts: 8, baseDelayMs: 100, maxDelayMs: 1000, backoffFactor: 2, jitter: true };
const context = (attempt: number, error: Error = new Error('boom')): IRetryBackoffContext<unknown> => ({ attempt, signal: new AbortController().signal, result: { error } });

describe('retry backoff', () => {
  it('grows base * factor^(k-1), capped at max_delay, without jitter', () => {
    const exact = { ...settings, jitter: false };
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((k) => retryDelayMs(exact, k)), [100, 200, 400, 800, 1000, 1000]);
  });

  it('jitters into the upper half [cap/2, cap] of each step', () => {
    for (let k = 1; k <= 6; k++) {
      const cap = Math.min(1000, 100 * 2 ** (k - 1));
      assert.equal(retryDelayMs(settings, k, () => 0), cap / 2);
      assert.equal(retryDelayMs(settings, k, () => 1), cap);
      for (let sample = 0; sample < 200; sample++) {
        const delay = retryDelayMs(settings, k);
        assert.ok(delay >= cap / 2 && delay <= cap, `retry ${k}: ${delay} outside [${cap / 2}, ${cap}]`);
      }
    }
  });

  it('spreads jittered delays over the whole upper half', () => {
    const delays = Array.from({ length: 400 }, () => retryDelayMs(settings, 3));
    assert.ok(Math.min(...delays) < 230 && Math.max(...delays) > 370, 'samples cover [200, 400]');
  });

  it('is a cockatiel backoff whose steps follow the retry number', () => {
    const backoff = new RetryBackoff({ ...settings, jitter: false });
    const first = backoff.next(context(1));
    assert.equal(first.duration, 100);
    assert.equal(first.next(context(2)).duration, 200);
    assert.equal(first.next(context(2)).next(context(3)).duration, 400);
  });

  it('takes a Retry-After over the computed delay, capped at max_delay', () => {
    const backoff = new RetryBackoff(settings);
    const asking = (ms: number) => new AttemptFailure(runnerError('transient', '429 Too Many Requests'), true, undefined, ms);
    assert.equal(backoff.next(context(3, asking(0))).duration, 0);
    assert.equal(backoff.next(context(1, asking(750))).duration, 750);
    assert.equal(backoff.next(context(1, asking(120_000))).duration, 1000);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('reads delta-seconds', () => {
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
  });
  it('reads an HTTP date, never negative', () => {
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now), 0);
  });
  it('ignores what it cannot read', () => {
    assert.equal(parseRetryAfter(undefined, now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter('-5', now), undefined);
  });
});

describe('token bucket', () => {
  it('lets a burst through, then refills at requests_per_minute', async () => {
    let clock = 0;
    const bucket = new TokenBucket({ requestsPerMinute: 60, burstSize: 3 }, () => clock);
    for (let i = 0; i < 3; i++) assert.equal(await bucket.take(0), 0);
    await assert.rejects(bucket.take(500), /rate limit: no request slot within 500 ms \(60\/min, burst 3\)/);
    clock += 1000;
    assert.equal(await bucket.take(0), 0);
    clock += 10_000;
    for (let i = 0; i < 3; i++) assert.equal(await bucket.take(0), 0, 'never more than burst_size saved up');
    await assert.rejects(bucket.take(0));
  });

  it('queues callers first come, first served within the allowed wait', async () => {
    const bucket = new TokenBucket({ requestsPerMinute: 6000, burstSize: 1 });
    assert.equal(await bucket.take(100), 0);
    const waits = await Promise.all([bucket.take(100), bucket.take(100)]);
    assert.ok(waits[0] > 0 && waits[0] <= 10 && waits[1] > waits[0], `waits ${waits}`);
  });

  it('gives the token back when the caller gives up waiting', async () => {
    let clock = 0;
    const bucket = new TokenBucket({ requestsPerMinute: 60, burstSize: 1 }, () => clock);
    await bucket.take(0);
    const controller = new AbortController();
    const waiting = bucket.take(2000, controller.signal);
    controller.abort();
    await assert.rejects(waiting);
    clock += 1000;
    assert.equal(await bucket.take(0), 0, 'the abandoned reservation was returned');
  });
});

describe('rate limit policy', () => {
  it('hands its wait on in the context and reports the outcome of the calls it lets through', async () => {
    const policy = new RateLimitPolicy({ requestsPerMinute: 6000, burstSize: 1 }, 100);
    const outcomes: string[] = [];
    policy.onSuccess(() => outcomes.push('success'));
    policy.onFailure(({ reason }) => outcomes.push('error' in reason ? reason.error.message : 'value'));
    assert.equal(await policy.execute(({ rateLimitWaitMs }) => rateLimitWaitMs), 0);
    const waited = await policy.execute(({ rateLimitWaitMs }) => rateLimitWaitMs);
    assert.ok(waited > 0 && waited <= 10, `waited ${waited} ms`);
    await assert.rejects(policy.execute(() => Promise.reject(new Error('the call failed'))));
    assert.deepEqual(outcomes, ['success', 'success', 'the call failed']);
    await assert.rejects(policy.execute(() => 1, AbortSignal.abort()), TaskCancelledError);
    assert.equal(await new RateLimitPolicy(undefined, 0).execute(({ rateLimitWaitMs }) => rateLimitWaitMs), 0, 'no rate_limit: every call at once');
  });
});
