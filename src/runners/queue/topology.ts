import type { Channel } from 'amqplib';
import type { MessageQueueIntegration, QueueSettings } from '../../core/model';
import { didYouMean, didYouMeanText } from '../../core/suggest';
import { ClassifiedError } from '../errors';

/** Where a message for `queue` goes: through its exchange when it has one, else straight to it. */
export interface Route {
  exchange: string;
  routingKey: string;
}

/**
 * The routing key both binds the queue and addresses its messages; without one
 * it is the queue's name (for a topic exchange a literal key matches a binding
 * pattern word for word, `*` and `#` included).
 */
export function routeOf(queue: QueueSettings): Route {
  return queue.exchange ? { exchange: queue.exchange, routingKey: queue.routingKey ?? queue.name } : { exchange: '', routingKey: queue.name };
}

/** The configured queue `name`, or a config error naming the close ones. */
export function queueSettings(integration: MessageQueueIntegration, name: string): QueueSettings {
  const queue = integration.queues.find((candidate) => candidate.name === name);
  if (queue) return queue;
  const known = integration.queues.map((candidate) => candidate.name);
  const hint = didYouMeanText(didYouMean(name, known)) || (known.length ? ` Its queues: ${known.join(', ')}.` : ' It declares no queues.');
  throw new ClassifiedError('config', `integration "${integration.name}" has no queue "${name}".${hint}`);
}

/** Declares every exchange, queue and binding the integration configures (idempotent: runs on every connect). */
export async function declareTopology(channel: Channel, queues: readonly QueueSettings[]): Promise<void> {
  for (const queue of queues) {
    await channel.assertQueue(queue.name, { durable: queue.durable });
    if (!queue.exchange) continue;
    await channel.assertExchange(queue.exchange, queue.exchangeType, { durable: queue.durable });
    await channel.bindQueue(queue.name, queue.exchange, routeOf(queue).routingKey);
  }
}
