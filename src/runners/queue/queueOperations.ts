/**
 * The queue runner's operations as results, never throws for a failed run
 * (QueueConnection's own methods reject: they are the building blocks).
 */
import { classifyError, integrationSecrets, type RunnerError } from '../errors';
import type { QueueConnection, PublishOptions, PublishReceipt, QueueDepth } from './queueConnection';
import type { QueueMessage } from './queueMessage';

interface QueueOperation {
  integration: string;
  queue: string;
}

export type PublishMessageResult = QueueOperation & ({ ok: true; receipt: PublishReceipt } | { ok: false; error: RunnerError });

export type PeekQueueResult = QueueOperation & ({ ok: true; messages: QueueMessage[] } | { ok: false; error: RunnerError });

export type QueueCheck = QueueDepth | { queue: string; error: RunnerError };

export interface InspectQueuesResult {
  integration: string;
  /** Connected, and every configured queue answered its passive declare. */
  ok: boolean;
  /** From the start to the last answer, connecting included. */
  latencyMs: number;
  /** Why there is no connection; per-queue failures are in `queues`. */
  error?: RunnerError;
  queues: QueueCheck[];
}

function failed(connection: QueueConnection, error: unknown): RunnerError {
  return classifyError(error, integrationSecrets(connection.integration));
}

/** Publishes `message` to `queue` and resolves once the broker confirmed it (or said why not). */
export async function publishMessage(connection: QueueConnection, queue: string, message: unknown, options: PublishOptions = {}): Promise<PublishMessageResult> {
  const operation = { integration: connection.integration.name, queue };
  try {
    return { ...operation, ok: true, receipt: await connection.publish(queue, message, options) };
  } catch (error) {
    return { ...operation, ok: false, error: failed(connection, error) };
  }
}

/** Up to `count` messages from the head of `queue`, left in place. */
export async function peekQueue(connection: QueueConnection, queue: string, options: Parameters<QueueConnection['peek']>[1] = {}): Promise<PeekQueueResult> {
  const operation = { integration: connection.integration.name, queue };
  try {
    return { ...operation, ok: true, messages: await connection.peek(queue, options) };
  } catch (error) {
    return { ...operation, ok: false, error: failed(connection, error) };
  }
}

/**
 * The connection, then a passive declare of each configured queue (depth and
 * consumers): what health needs from a message_queue integration.
 */
export async function inspectQueues(connection: QueueConnection, bounds: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<InspectQueuesResult> {
  const start = performance.now();
  const integration = connection.integration.name;
  try {
    await connection.whenConnected(bounds);
  } catch (error) {
    return { integration, ok: false, latencyMs: performance.now() - start, error: failed(connection, error), queues: [] };
  }
  const queues = await Promise.all(
    connection.integration.queues.map(async (queue): Promise<QueueCheck> => {
      try {
        return await connection.inspect(queue.name, bounds);
      } catch (error) {
        return { queue: queue.name, error: failed(connection, error) };
      }
    }),
  );
  return { integration, ok: queues.every((check) => !('error' in check)), latencyMs: performance.now() - start, queues };
}
