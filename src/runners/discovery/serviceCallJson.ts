import { roundMs as round } from '../roundMs';
import type { ServiceCallResult } from './callService';

/** A service call as plain JSON (`test <service> --format json`): each attempt with the instance it went to. */
export function serviceCallJson(result: ServiceCallResult) {
  return {
    service: result.service,
    ok: result.ok,
    status: result.status ?? null,
    method: result.method,
    path: result.path,
    instances: result.instances,
    attempts: result.attempts.map((attempt) => ({ instance: attempt.instance ?? null, status: attempt.status ?? null, error: attempt.error?.message ?? null, durationMs: round(attempt.durationMs), delayMs: round(attempt.delayMs) })),
    durationMs: round(result.durationMs),
    breaker: result.breaker,
    error: result.error ? { kind: result.error.kind, message: result.error.message } : null,
  };
}
