import { classifyError, type RunnerError } from '../errors';
import type { QueueConnection, QueueDepth } from './queueConnection';

export type QueueCheck = QueueDepth | { queue: string; error: RunnerError };

export interface QueueProbe {
  /** Connected, and every configured queue answered its passive declare. */
  ok: boolean;
  /** From the start of the probe to the last answer, connecting included. */
  latencyMs: number;
  /** Why there is no connection; per-queue failures are in `queues`. */
  error?: RunnerError;
  queues: QueueCheck[];
}

/**
 * What health needs from a message_queue integration: the connection, then a
 * passive declare of each configured queue (depth and consumers). Never throws.
 */
export async function probeQueues(connection: QueueConnection, bounds: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<QueueProbe> {
  const start = performance.now();
  try {
    await connection.whenConnected(bounds);
  } catch (error) {
    return { ok: false, latencyMs: performance.now() - start, error: classifyError(error), queues: [] };
  }
  const queues = await Promise.all(
    connection.integration.queues.map(async (queue): Promise<QueueCheck> => {
      try {
        return await connection.inspect(queue.name, bounds);
      } catch (error) {
        return { queue: queue.name, error: classifyError(error) };
      }
    }),
  );
  return { ok: queues.every((check) => !('error' in check)), latencyMs: performance.now() - start, queues };
}
