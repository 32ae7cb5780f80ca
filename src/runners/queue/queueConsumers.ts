import { EventEmitter, type Event } from 'cockatiel';
import type { MessageQueueIntegration } from '../../core/model';
import type { HandlerFailure, MessageHandler, QueueConnection, QueueConsumer } from './queueConnection';

/** `integration/queue`. */
export type ConsumerKey = `${string}/${string}`;

export interface RunningConsumer {
  key: ConsumerKey;
  integration: string;
  queue: string;
  startedAt: string;
}

/** A consumer started (`running` set) or stopped (`running` undefined). */
export interface ConsumerChange {
  key: ConsumerKey;
  integration: string;
  queue: string;
  running?: RunningConsumer;
}

export interface ConsumerHandlerFailure extends HandlerFailure {
  integration: string;
}

/** A second consumer of the same queue of the same integration. */
export class ConsumerRunningError extends Error {}

export function consumerKey(integration: string, queue: string): ConsumerKey {
  return `${integration}/${queue}`;
}

/**
 * The running queue consumers, one per integration and queue, each a `QueueConnection.consume` on the
 * integration's shared connection. A second start of a running consumer is refused (its handler would silently
 * not be the one messages go to): stop it first. Stopping returns unacknowledged messages to the queue.
 */
export class QueueConsumers {
  private readonly consumers = new Map<ConsumerKey, { running: RunningConsumer; consumer: QueueConsumer }>();
  private readonly changed = new EventEmitter<ConsumerChange>();
  private readonly failed = new EventEmitter<ConsumerHandlerFailure>();

  readonly onDidChange: Event<ConsumerChange> = this.changed.addListener;
  /** A handler of some running consumer rejected: its message went back to the queue. */
  readonly onDidFailHandler: Event<ConsumerHandlerFailure> = this.failed.addListener;

  /** `connections`: where each integration's one connection comes from (the engine's `QueueConnectionPool`). */
  constructor(private readonly connections: { get(integration: MessageQueueIntegration): QueueConnection }) {}

  /** Throws a config error for a queue the integration does not declare, and ConsumerRunningError for a second start. */
  start(integration: MessageQueueIntegration, queue: string, handler: MessageHandler, options: { prefetch?: number } = {}): RunningConsumer {
    const key = consumerKey(integration.name, queue);
    if (this.consumers.has(key)) throw new ConsumerRunningError(`a consumer of queue "${queue}" of ${integration.name} is already running; stop it first`);
    const consumer = this.connections.get(integration).consume(queue, handler, options);
    consumer.onDidFailHandler((failure) => this.failed.emit({ ...failure, integration: integration.name }));
    const running: RunningConsumer = { key, integration: integration.name, queue, startedAt: new Date().toISOString() };
    this.consumers.set(key, { running, consumer });
    this.changed.emit({ key, integration: integration.name, queue, running });
    return running;
  }

  async stop(integration: string, queue: string): Promise<void> {
    const key = consumerKey(integration, queue);
    const entry = this.consumers.get(key);
    if (!entry) return;
    this.consumers.delete(key);
    await entry.consumer.cancel();
    this.changed.emit({ key, integration, queue });
  }

  running(): RunningConsumer[] {
    return [...this.consumers.values()].map(({ running }) => running);
  }

  /** Stops every consumer; the connections stay with their pool. */
  async dispose(): Promise<void> {
    await Promise.all([...this.consumers.values()].map(({ running }) => this.stop(running.integration, running.queue)));
  }
}
