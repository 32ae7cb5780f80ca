import type { IBackoff, IBackoffFactory, IRetryBackoffContext } from 'cockatiel';
import type { RetrySettings } from '../../core/model';

/**
 * The config's backoff: before retry k (1-based) wait `base * factor^(k-1)`,
 * capped at `max_delay`, and with jitter a uniform pick in the upper half
 * `[cap/2, cap]` of that (so delays still grow, yet callers spread out).
 * cockatiel's ExponentialBackoff cannot say this: its generators draw from
 * `[0, cap]` or decorrelate from the previous delay.
 */
export function retryDelayMs(settings: RetrySettings, retry: number, random: () => number = Math.random): number {
  const capped = Math.min(settings.maxDelayMs, settings.baseDelayMs * settings.backoffFactor ** (retry - 1));
  return settings.jitter ? capped / 2 + random() * (capped / 2) : capped;
}

/** A failure that asks for a specific wait (a `Retry-After` header). */
export interface AsksForDelay {
  retryAfterMs?: number;
}

function requestedDelay(context: IRetryBackoffContext<unknown>): number | undefined {
  const reason = 'error' in context.result ? context.result.error : context.result.value;
  const requested = (reason as AsksForDelay | undefined)?.retryAfterMs;
  return typeof requested === 'number' ? requested : undefined;
}

/** `retryDelayMs` as a cockatiel backoff; a server's `Retry-After` wins, capped at `max_delay`. */
export class RetryBackoff implements IBackoffFactory<IRetryBackoffContext<unknown>> {
  constructor(
    private readonly settings: RetrySettings,
    private readonly random: () => number = Math.random,
  ) {}

  next(context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    const requested = requestedDelay(context);
    const duration = requested === undefined ? retryDelayMs(this.settings, context.attempt, this.random) : Math.min(requested, this.settings.maxDelayMs);
    return { duration, next: (nextContext) => this.next(nextContext) };
  }
}
