import type { EndpointSettings, RequestResponseIntegration } from '../../src/core/model';

type Overrides = Partial<Omit<RequestResponseIntegration, 'endpoints' | 'type'>> & { endpoints?: Array<Partial<EndpointSettings> & { name: string }> };

/** A request_response integration for tests: fast retries (ms), short timeouts, everything overridable. */
export function httpIntegration(baseUrl: string, overrides: Overrides = {}): RequestResponseIntegration {
  const { endpoints, ...rest } = overrides;
  return {
    name: 'api',
    type: 'request_response',
    baseUrl,
    timeoutMs: 1000,
    retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 40, backoffFactor: 2, jitter: true },
    circuitBreaker: { failureThreshold: 50, openMs: 1000, halfOpenMaxCalls: 1 },
    bulkhead: { maxConcurrent: 10, maxQueue: 0 },
    secrets: [],
    enabled: true,
    source: { uri: 'test.yaml', documentIndex: 0 },
    ...rest,
    endpoints: (endpoints ?? [{ name: 'ping', url: '/ping' }]).map((endpoint) => ({ url: '/', method: 'GET', headers: {}, ...endpoint })),
  };
}
