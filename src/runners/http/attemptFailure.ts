import type { RunnerError } from '../errors';
import type { AsksForDelay } from './retryBackoff';
import type { CapturedResponse } from './responseCapture';

/** Statuses worth sending again: the server may answer differently later. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/**
 * One attempt that failed in a way the policies act on: thrown inside the
 * policy chain so retry and breaker see it; the runner unwraps it into the
 * result. `retryable` failures are retried and count against the circuit.
 */
export class AttemptFailure extends Error implements AsksForDelay {
  constructor(
    readonly failure: RunnerError,
    readonly retryable: boolean,
    readonly response?: CapturedResponse,
    readonly retryAfterMs?: number,
  ) {
    super(failure.message);
  }
}

export const isRetryableFailure = (error: Error): boolean => error instanceof AttemptFailure && error.retryable;
