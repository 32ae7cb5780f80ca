import type { RequestResponseIntegration } from '../../core/model';
import { isAbsoluteUrl } from '../../core/urlJoin';
import { ClassifiedError, integrationSecrets } from '../errors';
import { DEFAULT_HEALTH_TIMEOUT_MS, type HealthResult, type ReachabilityCheck } from './healthResult';
import type { HealthProbeContext } from './healthProbeContext';
import { httpHealthCheck } from './httpHealthCheck';
import { healthUrl } from './healthUrl';
import { resultOfChecks } from './resultOfChecks';
import { hostPortOf, tcpConnectCheck } from './tcpConnectCheck';

/** Where a connect goes when there is no health URL: the base URL's server, else the first absolute endpoint's. */
function connectUrl(integration: RequestResponseIntegration): URL {
  if (integration.baseUrl) return healthUrl(integration.baseUrl, undefined, 'base_url');
  const endpoint = integration.endpoints.find((candidate) => isAbsoluteUrl(candidate.url));
  if (!endpoint) throw new ClassifiedError('config', 'nothing to connect to: no base_url and no absolute endpoint URL');
  return healthUrl(endpoint.url, undefined, `endpoint "${endpoint.name}"`);
}

/**
 * `health_check` (`url`, or `path` joined to `base_url`) as one GET with its
 * timeout, expected statuses and the integration's auth; without one, a TCP
 * connect to the server. The integration's breaker counts too: open is
 * unhealthy, half-open degraded, whatever the check says.
 */
export async function requestResponseHealth(integration: RequestResponseIntegration, context: HealthProbeContext, signal: AbortSignal): Promise<HealthResult> {
  const secrets = integrationSecrets(integration);
  const settings = integration.healthCheck;
  const timeoutMs = settings?.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  const healthPath = settings?.url ?? settings?.path;
  let check: ReachabilityCheck;
  if (healthPath) {
    check = await httpHealthCheck('health_check', healthUrl(healthPath, integration.baseUrl || undefined, 'health_check'), {
      timeoutMs,
      expectStatus: settings!.expectStatus,
      auth: context.authorizer(integration),
      signal,
      dispatcher: context.dispatcher,
      secrets,
    });
  } else {
    check = await tcpConnectCheck('connect', hostPortOf(connectUrl(integration)), { timeoutMs, signal });
  }
  // Read after the check, which may have taken a while: the state now is what calls meet.
  const breaker = context.registry.policiesFor(integration).breaker.state;
  return resultOfChecks([check], { timeoutMs, breaker, secrets });
}
