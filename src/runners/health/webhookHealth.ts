import type { WebhookIntegration } from '../../core/model';
import { integrationSecrets } from '../errors';
import { DEFAULT_HEALTH_TIMEOUT_MS, unknownResult, type HealthResult, type ReachabilityCheck } from './healthResult';
import type { HealthProbeContext } from './healthProbeContext';
import { httpHealthCheck } from './httpHealthCheck';
import { healthUrl } from './healthUrl';
import { resultOfChecks } from './resultOfChecks';
import { hostPortOf, tcpConnectCheck } from './tcpConnectCheck';

/**
 * Each outgoing endpoint's server accepts a TCP connection (nothing is POSTed:
 * an unsigned test delivery could be acted on), the `health_check.url` answers
 * when there is one, and something listens on the receiver's host:port (its configured port, or the one a
 * receiver of this process was given for `port: 0`).
 * All answer: healthy; some: degraded; none: unhealthy.
 */
export async function webhookHealth(integration: WebhookIntegration, context: HealthProbeContext, signal: AbortSignal): Promise<HealthResult> {
  const secrets = integrationSecrets(integration);
  const settings = integration.healthCheck;
  const timeoutMs = settings?.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  const bounds = { timeoutMs, signal };
  const pending: Array<Promise<ReachabilityCheck>> = [];
  for (const endpoint of integration.endpoints) {
    if (!endpoint.url) continue;
    let url: URL;
    try {
      url = new URL(endpoint.url);
    } catch {
      pending.push(
        Promise.resolve({
          name: endpoint.name,
          target: endpoint.url,
          ok: false,
          latencyMs: 0,
          error: 'not a valid URL',
        }),
      );
      continue;
    }
    pending.push(tcpConnectCheck(endpoint.name, hostPortOf(url), bounds));
  }
  if (settings?.url) {
    pending.push(
      httpHealthCheck('health_check', healthUrl(settings.url, undefined, 'health_check.url'), {
        timeoutMs,
        expectStatus: settings.expectStatus,
        auth: context.authorizer(integration),
        signal,
        dispatcher: context.dispatcher,
        secrets,
      }),
    );
  }
  // `port: 0` picks a free port when the receiver starts: until one runs in this process there is nowhere to look.
  const receiverPort = integration.receiver && (integration.receiver.port || context.receiverPort?.(integration.name));
  if (integration.receiver && receiverPort) pending.push(tcpConnectCheck('receiver', { host: integration.receiver.host, port: receiverPort }, bounds));
  const checks = await Promise.all(pending);
  if (checks.length === 0) return unknownResult('nothing to check: no outgoing endpoint URL and no receiver');
  return resultOfChecks(checks, {
    timeoutMs,
    breaker: context.registry.breakerState(integration.name),
    secrets,
  });
}
