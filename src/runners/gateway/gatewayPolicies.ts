import { DEFAULTS, DEFAULT_MS } from '../../core/defaults';
import type { IntegrationBase } from '../../core/model';
import type { NamedGateway } from './gatewayNames';

/** Per request through the gateway; a gateway has no `timeout` of its own. */
export const GATEWAY_TIMEOUT_MS = 10_000;

/**
 * The resilience settings route tests run under: one retry of a transient failure (a reset connection, a 502,
 * a 429) after a short backoff, no breaker, the default bulkhead, and the gateway's own `rate_limiting` as the
 * client-side limit, so a test stays within what the gateway allows. Keyed `api_gateway:<name>` in the
 * registry, apart from any integration of the same name.
 */
export function gatewayPipelineSettings({ name, gateway }: NamedGateway): Pick<IntegrationBase, 'name' | 'timeoutMs' | 'retry' | 'circuitBreaker' | 'bulkhead' | 'rateLimit'> {
  return {
    name: `api_gateway:${name}`,
    timeoutMs: GATEWAY_TIMEOUT_MS,
    retry: { maxAttempts: 2, baseDelayMs: 250, maxDelayMs: 2_000, backoffFactor: DEFAULTS.retry.backoff_factor, jitter: true },
    // A route test reports every route's own answer: a breaker opened by the first failing routes would hide the others'.
    circuitBreaker: { failureThreshold: Number.MAX_SAFE_INTEGER, openMs: DEFAULT_MS.breakerOpen, halfOpenMaxCalls: DEFAULTS.circuit_breaker.half_open_max_calls },
    bulkhead: { maxConcurrent: DEFAULTS.bulkhead.max_concurrent, maxQueue: 100 },
    rateLimit: gateway.rateLimiting,
  };
}

