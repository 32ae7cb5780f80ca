import type { RequestResponseIntegration } from '../../core/model';
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
  const results: EndpointResult[] = new Array(integration.endpoints.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < integration.endpoints.length) {
      const index = next++;
      results[index] = await runEndpoint(integration, integration.endpoints[index].name, runOptions);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, integration.endpoints.length)) }, worker));
  return results;
}
