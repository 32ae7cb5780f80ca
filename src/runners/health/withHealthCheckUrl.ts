import type { Integration } from '../../core/model';
import { integrationSecrets } from '../errors';
import { healthResult, worstState, type HealthResult } from './healthResult';
import type { HealthProbeContext } from './healthProbeContext';
import { httpHealthCheck } from './httpHealthCheck';
import { healthUrl } from './healthUrl';

/**
 * A probe that checks the integration its own way (a broker connection, destinations, database statements), and
 * also GETs its `health_check.url` when the config gives one (a broker's management API, say), alongside: a URL
 * that does not answer as expected makes a healthy result degraded, and is named in the detail.
 */
export function withHealthCheckUrl(integration: Integration, context: HealthProbeContext, probe: (signal: AbortSignal) => Promise<HealthResult>): (signal: AbortSignal) => Promise<HealthResult> {
  const settings = integration.healthCheck;
  if (!settings?.url) return probe;
  const url = settings.url;
  return async (signal) => {
    const secrets = integrationSecrets(integration);
    const options = { timeoutMs: settings.timeoutMs, expectStatus: settings.expectStatus, auth: context.authorizer(integration), signal, dispatcher: context.dispatcher, secrets };
    const [own, check] = await Promise.all([probe(signal), Promise.resolve().then(() => httpHealthCheck('health_check', healthUrl(url, undefined, 'health_check.url'), options))]);
    const note = check.ok ? 'health_check.url answers' : `health_check: ${check.error ?? `answered ${check.status}`}`;
    return healthResult(
      {
        state: worstState(own.state, check.ok ? 'healthy' : 'degraded'),
        latencyMs: Math.max(own.latencyMs, check.latencyMs),
        detail: `${own.detail}; ${note}`,
        breaker: own.breaker,
        extra: own.extra,
      },
      secrets,
    );
  };
}
