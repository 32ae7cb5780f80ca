import { DEFAULT_EXPECT_STATUS } from '../../core/defaults';
import type { Microservices, ServiceSettings } from '../../core/model';
import { DEFAULT_HEALTH_TIMEOUT_MS, type HealthResult } from './healthResult';
import type { HealthProbeContext } from './healthProbeContext';
import { httpHealthCheck } from './httpHealthCheck';
import { healthUrl } from './healthUrl';
import { discoveredServiceHealth } from './instanceHealth';
import { usesConsul } from '../discovery/serviceDirectory';
import { resultOfChecks } from './resultOfChecks';
import { hostPortOf, tcpConnectCheck } from './tcpConnectCheck';


/**
 * A microservice: its `health_check` (a path joined to its URL, or a URL) as a
 * GET expecting 200-399, over HTTP; a TCP connect to its URL's server when it
 * has no health_check or speaks gRPC. A consul-discovered one: each of its
 * instances (instanceHealth.ts).
 */
export async function serviceHealth(service: ServiceSettings, microservices: Microservices, context: HealthProbeContext, signal: AbortSignal): Promise<HealthResult> {
  if (usesConsul(microservices)) return discoveredServiceHealth(service, microservices, context, signal);
  const timeoutMs = DEFAULT_HEALTH_TIMEOUT_MS;
  const base = healthUrl(service.url ?? '', undefined, `service ${service.name}: url`);
  if (!service.healthCheck || microservices.communication.type === 'grpc') {
    return resultOfChecks(
      [
        await tcpConnectCheck('connect', hostPortOf(base), {
          timeoutMs,
          signal,
        }),
      ],
      { timeoutMs },
    );
  }
  const url = healthUrl(service.healthCheck, service.url, `service ${service.name}: health_check`);
  return resultOfChecks(
    [
      await httpHealthCheck('health_check', url, {
        timeoutMs,
        expectStatus: DEFAULT_EXPECT_STATUS,
        signal,
        dispatcher: context.dispatcher,
      }),
    ],
    { timeoutMs },
  );
}

