import type { RunnerError } from '../errors';
import type { BreakerState } from './integrationBreaker';
import type { CapturedResponse } from './responseCapture';

/** One request sent (a rejection by a local policy sends nothing and is no attempt). */
export interface AttemptRecord {
  status?: number;
  error?: RunnerError;
  /** From sending the request to the end of the body (or the failure). */
  durationMs: number;
  /** The backoff waited before this attempt (0 for the first). */
  delayMs: number;
  /** Time to the response headers, when they came. */
  firstByteMs?: number;
  /** The service instance it went to, where attempts may go to different ones (a service call). */
  instance?: string;
}

export interface EndpointTiming {
  /** Waiting for a bulkhead slot. */
  queuedMs: number;
  /** Waiting for the rate limiter, over all attempts. */
  rateLimitWaitMs: number;
  /** Backoff between attempts, in all. */
  backoffMs: number;
  /** Time to the response headers of the last attempt. */
  firstByteMs?: number;
  totalMs: number;
}

export interface EndpointResult {
  integration: string;
  endpoint: string;
  method: string;
  /** The URL called, redacted; absent when it could not be built. */
  url?: string;
  /** The final answer was a 2xx or 3xx. */
  ok: boolean;
  /** Status of the final attempt (absent when no answer came). */
  status?: number;
  /** Why it is not ok (the final attempt's failure, or a local policy's rejection). */
  error?: RunnerError;
  attempts: AttemptRecord[];
  durationMs: number;
  timing: EndpointTiming;
  response?: Omit<CapturedResponse, 'status'>;
  /** The integration's circuit after this run. */
  breaker: BreakerState;
  /** The trace of the run's spans, when telemetry records them. */
  traceId?: string;
}
