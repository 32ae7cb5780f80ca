import type { RequestResponseIntegration } from '../../core/model';
import { mapConcurrent } from '../mapConcurrent';
import type { EndpointResult } from './endpointResult';
import { ResilienceRegistry } from './resilienceRegistry';
import { runEndpoint, type RunEndpointOptions } from './runEndpoint';

export interface RunAllOptions extends Omit<RunEndpointOptions, 'body'> {
  /** Endpoints in flight at once (default 4). */
  concurrency?: number;
}

/** "Test all endpoints": every endpoint of the integration, at most `concurrency` at a time, results in endpoint order. */
export async function runAllEndpoints(integration: RequestResponseIntegration, options: RunAllOptions = {}): Promise<EndpointResult[]> {
  const { concurrency = 4, registry = new ResilienceRegistry(), ...rest } = options;
  // One registry for the batch at least, so its calls share the integration's bulkhead, breaker and rate limit.
  const runOptions = { ...rest, registry };
  return mapConcurrent(integration.endpoints, concurrency, (endpoint) => runEndpoint(integration, endpoint.name, runOptions));
}
