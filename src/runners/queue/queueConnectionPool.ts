import type { MessageQueueIntegration } from '../../core/model';
import { KeyedCache } from '../keyedCache';
import { QueueConnection, type QueueConnectionOptions } from './queueConnection';

/**
 * One live connection per message_queue integration for the life of the
 * pool (publishers, consumers and health share it); a changed connection
 * URL, queue list, timeout or prefetch replaces it and closes the old one.
 */
export class QueueConnectionPool {
  private readonly connections: KeyedCache<MessageQueueIntegration, QueueConnection>;

  constructor(options: QueueConnectionOptions = {}) {
    this.connections = new KeyedCache<MessageQueueIntegration, QueueConnection>({
      fingerprint: (integration) => JSON.stringify([integration.connectionUrl, integration.queues, integration.timeoutMs, integration.prefetch]),
      create: (integration) => new QueueConnection(integration, options),
      dispose: (connection) => connection.close(),
    });
  }

  get(integration: MessageQueueIntegration): QueueConnection {
    return this.connections.get(integration);
  }

  /** Closes every connection; the pool opens new ones when asked again. */
  close(): Promise<void> {
    return this.connections.dispose();
  }
}
