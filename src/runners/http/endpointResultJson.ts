import type { AttemptRecord, EndpointResult } from './endpointResult';
import { roundMs as round } from '../roundMs';
import { MAX_BODY_BYTES } from './responseCapture';

/** A body as the result panel shows it: JSON pretty-printed, text as it came, cut at MAX_BODY_BYTES characters. */
function formattedBody(body: unknown): { text: string; cut: boolean } {
  const text = typeof body === 'string' ? body : (JSON.stringify(body, null, 2) ?? '');
  return text.length > MAX_BODY_BYTES ? { text: text.slice(0, MAX_BODY_BYTES), cut: true } : { text, cut: false };
}

/** One attempt as JSON: endpoint runs and gateway route tests alike. */
export function attemptJson(attempt: AttemptRecord) {
  return { status: attempt.status ?? null, error: attempt.error?.message ?? null, durationMs: round(attempt.durationMs), delayMs: round(attempt.delayMs) };
}

/**
 * An endpoint run as plain JSON (`test --format json`, the result panel): the
 * first keys are the CLI's original shape; `method`, `url`, `timing`,
 * `response` (headers and a formatted, bounded body) and `traceId` follow.
 */
export function endpointResultJson(result: EndpointResult) {
  const body = result.response && formattedBody(result.response.body);
  return {
    integration: result.integration,
    endpoint: result.endpoint,
    ok: result.ok,
    status: result.status ?? null,
    attempts: result.attempts.map(attemptJson),
    durationMs: round(result.durationMs),
    breaker: result.breaker,
    error: result.error ? { kind: result.error.kind, message: result.error.message } : null,
    method: result.method,
    url: result.url ?? null,
    timing: {
      queuedMs: round(result.timing.queuedMs),
      rateLimitWaitMs: round(result.timing.rateLimitWaitMs),
      backoffMs: round(result.timing.backoffMs),
      firstByteMs: result.timing.firstByteMs === undefined ? null : round(result.timing.firstByteMs),
      totalMs: round(result.timing.totalMs),
    },
    response: result.response && body ? { headers: result.response.headers, body: body.text, bytes: result.response.bytes, truncated: result.response.truncated || body.cut } : null,
    traceId: result.traceId ?? null,
  };
}
