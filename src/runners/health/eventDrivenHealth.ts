import type { EventDrivenIntegration, MessageQueueIntegration } from '../../core/model';
import { integrationSecrets } from '../errors';
import { resolveDestination } from '../events/eventDestination';
import { DEFAULT_HEALTH_TIMEOUT_MS, unknownResult, type HealthResult, type QueueHealth, type ReachabilityCheck } from './healthResult';
import type { HealthProbeContext } from './healthProbeContext';
import { leaseAndProbe, queueHealthOf } from './messageQueueHealth';
import { resultOfChecks } from './resultOfChecks';
import { hostPortOf, tcpConnectCheck } from './tcpConnectCheck';

/**
 * Every publisher's destination: a queue through its message_queue
 * integration (connection plus passive declare, one connection per broker
 * integration), a URL by a TCP connect to its server (no event is sent), an
 * unresolved one as a failed check. All reachable: healthy; some: degraded; none: unhealthy.
 */
export async function eventDrivenHealth(integration: EventDrivenIntegration, context: HealthProbeContext, signal: AbortSignal): Promise<HealthResult> {
  const secrets = integrationSecrets(integration);
  const timeoutMs = integration.healthCheck?.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  const bounds = { timeoutMs, signal };
  const pending: Array<Promise<ReachabilityCheck | ReachabilityCheck[]>> = [];
  const queuesByOwner = new Map<MessageQueueIntegration, Array<{ publisher: string; queue: string }>>();
  const seen = new Set<string>();
  for (const publisher of integration.publishers) {
    if (seen.has(publisher.destination)) continue;
    seen.add(publisher.destination);
    const destination = resolveDestination(publisher.destination, context.integrations);
    if (destination.kind === 'unresolved') {
      pending.push(
        Promise.resolve({
          name: publisher.name,
          target: publisher.destination,
          ok: false,
          latencyMs: 0,
          error: destination.error.message,
        }),
      );
    } else if (destination.kind === 'url') {
      pending.push(tcpConnectCheck(publisher.name, hostPortOf(new URL(destination.url)), bounds));
    } else {
      const wanted = queuesByOwner.get(destination.integration) ?? [];
      wanted.push({ publisher: publisher.name, queue: destination.queue });
      queuesByOwner.set(destination.integration, wanted);
    }
  }
  const queues: QueueHealth[] = [];
  for (const [owner, wanted] of queuesByOwner) {
    // One connection per broker integration, shared by the destinations on it.
    const probed = leaseAndProbe(context.queueConnection(owner), bounds).then((probe) =>
      wanted.map(({ publisher, queue }): ReachabilityCheck => {
        const found = probe.queues.find((check) => check.queue === queue);
        const health = found && queueHealthOf(found);
        if (health) queues.push(health);
        const error = probe.error?.message ?? (health && 'error' in health ? health.error : undefined);
        return {
          name: publisher,
          target: `queue ${queue} of ${owner.name}`,
          ok: error === undefined,
          latencyMs: probe.latencyMs,
          ...(error === undefined ? {} : { error }),
        };
      }),
    );
    pending.push(probed);
  }
  const checks = (await Promise.all(pending)).flat();
  if (checks.length === 0) return unknownResult('nothing to check: no publishers');
  return resultOfChecks(checks, {
    timeoutMs,
    breaker: context.registry.breakerState(integration.name),
    secrets,
    extra: { kind: 'destinations', checks, queues },
  });
}
