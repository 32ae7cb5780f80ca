import { setTimeout as delay } from 'node:timers/promises';
import type { RateLimitSettings } from '../../core/model';
import { ClassifiedError } from '../errors';

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
    if (waitMs > maxWaitMs) {
      throw new ClassifiedError('transient', `rate limit: no request slot within ${Math.round(maxWaitMs)} ms (${this.settings.requestsPerMinute}/min, burst ${this.settings.burstSize})`, 'rate_limited');
    }
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

