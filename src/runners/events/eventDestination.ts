import type { Integration, MessageQueueIntegration } from '../../core/model';
import { didYouMean, didYouMeanText } from '../../core/suggest';
import { runnerError, type RunnerError } from '../errors';

export type EventDestination =
  | { kind: 'url'; url: string }
  | { kind: 'queue'; integration: MessageQueueIntegration; queue: string }
  | { kind: 'unresolved'; error: RunnerError };

/**
 * A publisher's `destination`: an http(s) URL, or the name of a queue some
 * message_queue integration of the workspace declares (the first one, in
 * workspace order, when several declare it).
 */
export function resolveDestination(destination: string, integrations: readonly Integration[]): EventDestination {
  if (/^https?:\/\//i.test(destination)) return { kind: 'url', url: destination };
  if (/^[a-z][a-z0-9+.-]*:/i.test(destination)) return { kind: 'unresolved', error: runnerError('config', `destination "${destination}" is neither an http(s) URL nor a queue name`) };
  const messageQueues = integrations.filter((integration): integration is MessageQueueIntegration => integration.type === 'message_queue');
  const owner = messageQueues.find((integration) => integration.queues.some((queue) => queue.name === destination));
  if (!owner) {
    const known = messageQueues.flatMap((integration) => integration.queues.map((queue) => queue.name));
    return { kind: 'unresolved', error: runnerError('config', `no message_queue integration declares the queue "${destination}".${didYouMeanText(didYouMean(destination, known))}`) };
  }
  if (!owner.enabled) return { kind: 'unresolved', error: runnerError('config', `the queue "${destination}" belongs to "${owner.name}", which is disabled`) };
  return { kind: 'queue', integration: owner, queue: destination };
}
