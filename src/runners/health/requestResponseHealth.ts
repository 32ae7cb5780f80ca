import type { RequestResponseIntegration } from '../../core/model';
import { ClassifiedError, integrationSecrets } from '../errors';
import { endpointUrl } from '../http/endpointUrl';
import { DEFAULT_HEALTH_TIMEOUT_MS, type HealthResult, type ReachabilityCheck } from './healthResult';
import type { HealthProbeContext } from './healthProbeContext';
import { httpHealthCheck } from './httpHealthCheck';
import { resultOfChecks } from './resultOfChecks';
import { hostPortOf, tcpConnectCheck } from './tcpConnectCheck';

const ABSOLUTE = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Where a connect goes when there is no health URL: the base URL's server, else the first absolute endpoint's. */
function connectUrl(integration: RequestResponseIntegration): URL {
  const url = integration.baseUrl ?? integration.endpoints.find((endpoint) => ABSOLUTE.test(endpoint.url))?.url;
  if (!url) throw new ClassifiedError('config', 'nothing to connect to: no base_url and no absolute endpoint URL');
  try {
    return new URL(url);
  } catch {
    throw new ClassifiedError('config', `"${url}" is not a valid URL`);
  }
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
    const url = endpointUrl(integration, {
      name: 'health_check',
      url: healthPath,
      method: 'GET',
      headers: {},
    });
    check = await httpHealthCheck('health_check', url, {
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
