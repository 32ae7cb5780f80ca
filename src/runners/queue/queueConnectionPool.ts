import type { MessageQueueIntegration } from '../../core/model';
import { QueueConnection, type QueueConnectionOptions } from './queueConnection';

/**
 * One live connection per message_queue integration for the life of the
 * process (publishers, consumers and health share it); a changed connection
 * URL or queue list replaces it.
 */
export class QueueConnectionPool {
  private readonly connections = new Map<string, { key: string; connection: QueueConnection }>();

  constructor(private readonly options: QueueConnectionOptions = {}) {}

  get(integration: MessageQueueIntegration): QueueConnection {
    const key = JSON.stringify([integration.connectionUrl, integration.queues, integration.timeoutMs, integration.prefetch]);
    const existing = this.connections.get(integration.name);
    if (existing?.key === key) return existing.connection;
    void existing?.connection.close();
    const connection = new QueueConnection(integration, this.options);
    this.connections.set(integration.name, { key, connection });
    return connection;
  }

  async close(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map(({ connection }) => connection.close()));
  }
}
