import { describeDuration } from '../../core/duration';

/** Undefined when `timestamp` (unix seconds) is within `toleranceMs` of `now`, else the reason; tolerance 0 accepts any. */
export function timestampProblem(timestamp: number, toleranceMs: number, now = Date.now()): string | undefined {
  if (toleranceMs === 0) return undefined;
  const skewMs = now - timestamp * 1000;
  const excessMs = Math.abs(skewMs) - toleranceMs;
  if (excessMs <= 0) return undefined;
  const by = describeDuration(Math.max(1000, Math.ceil(excessMs / 1000) * 1000));
  return `timestamp outside tolerance by ${by} (${skewMs > 0 ? 'too old' : 'in the future'})`;
}

/** Unix seconds from a header value, or undefined when it is not a whole number. */
export function parseUnixSeconds(value: string): number | undefined {
  return /^\d{1,15}$/.test(value.trim()) ? Number(value.trim()) : undefined;
}
