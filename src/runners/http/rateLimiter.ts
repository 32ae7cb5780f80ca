import { setTimeout as delay } from 'node:timers/promises';
import { EventEmitter, TaskCancelledError, type IDefaultPolicyContext, type IFailureEvent, type IPolicy, type ISuccessEvent } from 'cockatiel';
import type { RateLimitSettings } from '../../core/model';
import { ClassifiedError } from '../errors';
import { neverAborted } from './neverAborted';

/** No token within the wait allowed: the call was not sent. */
export class RateLimitedError extends ClassifiedError {
  constructor(settings: RateLimitSettings, maxWaitMs: number) {
    super('transient', `rate limit: no request slot within ${Math.round(maxWaitMs)} ms (${settings.requestsPerMinute}/min, burst ${settings.burstSize})`, 'rate_limited');
  }
}

/**
 * Client-side `rate_limit` as a token bucket: `burst_size` tokens, refilled at
 * `requests_per_minute`. A caller without a token waits its turn (first come,
 * first served: tokens go negative as reservations) as long as that wait fits
 * in `maxWaitMs` (the attempt timeout); beyond that it is rejected at once
 * rather than sent late.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private readonly perMs: number;

  constructor(
    readonly settings: RateLimitSettings,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = Math.max(1, settings.burstSize);
    this.updatedAt = now();
    this.perMs = settings.requestsPerMinute / 60_000;
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(Math.max(1, this.settings.burstSize), this.tokens + (now - this.updatedAt) * this.perMs);
    this.updatedAt = now;
  }

  /** Takes a token, waiting for it when needed; resolves with the time waited (ms). */
  async take(maxWaitMs: number, signal?: AbortSignal): Promise<number> {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    const waitMs = (1 - this.tokens) / this.perMs;
    if (waitMs > maxWaitMs) throw new RateLimitedError(this.settings, maxWaitMs);
    this.tokens -= 1;
    try {
      await delay(waitMs, undefined, { signal });
    } catch (error) {
      this.tokens += 1;
      throw error;
    }
    return waitMs;
  }
}

/** What the rate limiter hands on to the call it lets through. */
export interface RateLimitContext extends IDefaultPolicyContext {
  /** How long this call waited for its token (ms). */
  rateLimitWaitMs: number;
}

/** The token bucket as a cockatiel policy, one token per call, waiting at most `maxWaitMs`; without settings every call passes at once. */
export class RateLimitPolicy implements IPolicy<RateLimitContext> {
  declare readonly _altReturn: never;
  private readonly succeeded = new EventEmitter<ISuccessEvent>();
  private readonly failed = new EventEmitter<IFailureEvent>();
  /** The outcome of a call let through, as cockatiel's own policies report it. */
  readonly onSuccess = this.succeeded.addListener;
  readonly onFailure = this.failed.addListener;
  private readonly bucket?: TokenBucket;

  constructor(
    settings: RateLimitSettings | undefined,
    private readonly maxWaitMs: number,
  ) {
    this.bucket = settings && new TokenBucket(settings);
  }

  async execute<T>(fn: (context: RateLimitContext) => PromiseLike<T> | T, signal: AbortSignal = neverAborted): Promise<T> {
    // A call that arrives cancelled takes no token (a retry loop's last turn after the caller gave up).
    if (signal.aborted) throw new TaskCancelledError();
    const rateLimitWaitMs = this.bucket ? await this.bucket.take(this.maxWaitMs, signal) : 0;
    // Timed only when someone listens: this runs on every attempt.
    if (this.succeeded.size === 0 && this.failed.size === 0) return fn({ signal, rateLimitWaitMs });
    const startedAt = performance.now();
    try {
      const value = await fn({ signal, rateLimitWaitMs });
      this.succeeded.emit({ duration: performance.now() - startedAt });
      return value;
    } catch (error) {
      this.failed.emit({ duration: performance.now() - startedAt, handled: false, reason: { error: error as Error } });
      throw error;
    }
  }
}
