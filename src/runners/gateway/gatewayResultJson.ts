import { attemptJson } from '../http/endpointResultJson';
import { roundMs as round } from '../roundMs';
import type { GatewayTestResult } from './testGateway';

/** A gateway test as plain JSON (`test <gateway> --format json`): one entry per route and method, and the burst when checked. */
export function gatewayResultJson(result: GatewayTestResult) {
  const { rateLimit } = result;
  return {
    gateway: result.gateway,
    url: result.url,
    ok: result.ok,
    durationMs: round(result.durationMs),
    routes: result.routes.map((route) => ({
      path: route.path,
      service: route.service,
      method: route.method,
      url: route.url,
      ok: route.ok,
      status: route.status ?? null,
      durationMs: round(route.durationMs),
      error: route.error ? { kind: route.error.kind, message: route.error.message } : null,
      attempts: route.attempts.map(attemptJson),
    })),
    rateLimit: rateLimit
      ? {
          ok: rateLimit.ok,
          detail: rateLimit.detail,
          method: rateLimit.method ?? null,
          url: rateLimit.url ?? null,
          requestsPerMinute: rateLimit.requestsPerMinute ?? null,
          burstSize: rateLimit.burstSize ?? null,
          sent: rateLimit.sent,
          passed: rateLimit.passed,
          throttled: rateLimit.throttled,
          failed: rateLimit.failed,
          outcomes: rateLimit.outcomes,
          waitedMs: round(rateLimit.waitedMs),
          durationMs: round(rateLimit.durationMs),
          error: rateLimit.error ? { kind: rateLimit.error.kind, message: rateLimit.error.message } : null,
        }
      : null,
  };
}
