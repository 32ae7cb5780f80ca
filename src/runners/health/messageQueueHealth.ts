import type { MessageQueueIntegration } from '../../core/model';
import { integrationSecrets } from '../errors';
import { inspectQueues, type InspectQueuesResult, type QueueCheck } from '../queue/queueOperations';
import { DEFAULT_HEALTH_TIMEOUT_MS, healthResult, isSlow, slowNote, type HealthResult, type HealthState, type QueueHealth } from './healthResult';
import type { HealthProbeContext, LeasedQueueConnection } from './healthProbeContext';

/** Queues named in a detail line; the rest are in `extra`. */
const QUEUES_IN_DETAIL = 5;

export function queueHealthOf(check: QueueCheck): QueueHealth {
  return 'error' in check ? { queue: check.queue, error: check.error.message } : check;
}

export function describeQueue(queue: QueueHealth): string {
  if ('error' in queue) return queue.error;
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return `${queue.queue}: ${plural(queue.messageCount, 'message')}, ${plural(queue.consumerCount, 'consumer')}`;
}

/** The AMQP connection and a passive declare of each configured queue, through a leased connection. */
export async function leaseAndProbe(lease: LeasedQueueConnection, bounds: { timeoutMs: number; signal: AbortSignal }): Promise<InspectQueuesResult> {
  const probe = await inspectQueues(lease.connection, bounds);
  // A connection still trying (a silent broker) would hold the probe until the AMQP connect timeout: let it close on its own.
  if (probe.error) void lease.release().catch(() => undefined);
  else await lease.release();
  return probe;
}

/**
 * Connected and every queue answered its passive declare (depth and consumers
 * in `extra`): healthy; a queue missing on the broker: degraded; no
 * connection: unhealthy. Nothing is declared or created.
 */
export async function messageQueueHealth(integration: MessageQueueIntegration, context: HealthProbeContext, signal: AbortSignal): Promise<HealthResult> {
  const secrets = integrationSecrets(integration);
  const timeoutMs = integration.healthCheck?.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
  const probe = await leaseAndProbe(context.queueConnection(integration), {
    timeoutMs,
    signal,
  });
  if (probe.error)
    return healthResult(
      {
        state: 'unhealthy',
        latencyMs: probe.latencyMs,
        detail: probe.error.message,
      },
      secrets,
    );
  const queues = probe.queues.map(queueHealthOf);
  const missing = queues.filter((queue) => 'error' in queue);
  const slow = isSlow(probe.latencyMs, timeoutMs);
  const state: HealthState = missing.length || slow ? 'degraded' : 'healthy';
  const shown = missing.length ? missing : queues;
  const parts = [queues.length ? `connected; ${shown.slice(0, QUEUES_IN_DETAIL).map(describeQueue).join('; ')}` : 'connected; no queues configured'];
  if (shown.length > QUEUES_IN_DETAIL) parts.push(`and ${shown.length - QUEUES_IN_DETAIL} more`);
  if (slow) parts.push(slowNote(probe.latencyMs, timeoutMs));
  return healthResult(
    {
      state,
      latencyMs: probe.latencyMs,
      detail: parts.join('; '),
      extra: { kind: 'queues', queues },
    },
    secrets,
  );
}
