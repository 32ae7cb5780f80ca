import type { Dispatcher } from 'undici';
import type { DatabaseIntegration, Integration } from '../core/model';
import { Authorizers } from './auth/authorizers';
import { ServiceDirectory, type DirectoryOptions } from './discovery/serviceDirectory';
import { createHealthProbeContext, type HealthProbeContext } from './health/healthProbeContext';
import { ResilienceRegistry } from './http/resilienceRegistry';
import { closeSharedAgent } from './http/sharedAgent';
import { KeyedCache } from './keyedCache';
import type { QueueConnectionOptions } from './queue/queueConnection';
import { QueueConnectionPool } from './queue/queueConnectionPool';
import { QueueConsumers } from './queue/queueConsumers';
import { ConnectionSet } from './sync/connectionSet';
import { WebhookReceivers } from './webhook/webhookReceivers';

export interface EngineServicesOptions {
  /** For the queue pool: the CLI connects once, the editor reconnects. */
  queues?: QueueConnectionOptions;
  dispatcher?: Dispatcher;
  /** Blocking-query wait and back-off of the Consul watches (tests shorten them). */
  discovery?: DirectoryOptions;
}

/**
 * What the runners share within one extension host (or one CLI run): breakers
 * and the other policies per integration, authorizers (one OAuth token for
 * endpoint tests, health and event publishing), broker connections and
 * database connection sets. `dispose()` closes all of it: the extension's
 * deactivate, the end of a CLI command.
 */
export class EngineServices {
  readonly resilience = new ResilienceRegistry();
  readonly authorizers: Authorizers;
  readonly queues: QueueConnectionPool;
  /** A PGlite folder opens once per process: health and sync share one set per database integration. */
  readonly databases = new KeyedCache<DatabaseIntegration, ConnectionSet>({
    fingerprint: (integration) => JSON.stringify([integration.connections, integration.timeoutMs]),
    create: (integration) => new ConnectionSet(integration),
    dispose: (connections) => connections.close(),
  });

  /** Microservices' instances: Consul watches shared by health and service calls. */
  readonly discovery: ServiceDirectory;
  /** Running webhook receivers, keyed by integration. */
  readonly receivers = new WebhookReceivers();
  /** Running queue consumers, keyed by integration/queue, on the pool's connections. */
  readonly consumers: QueueConsumers;

  constructor(private readonly options: EngineServicesOptions = {}) {
    this.authorizers = new Authorizers({ dispatcher: options.dispatcher });
    this.discovery = new ServiceDirectory({ dispatcher: options.dispatcher, ...options.discovery });
    this.queues = new QueueConnectionPool(options.queues);
    this.consumers = new QueueConsumers(this.queues);
  }

  /** Health probes that see the runners' breakers and reuse their authorizers and connections. */
  healthProbeContext(workspace: { integrations: readonly Integration[]; projectFolder: (integration: Integration) => string }): HealthProbeContext {
    return createHealthProbeContext({
      ...workspace,
      registry: this.resilience,
      authorizers: this.authorizers,
      dispatcher: this.options.dispatcher,
      discovery: this.discovery,
      queueConnections: this.queues,
      databaseConnections: (integration) => (integration.type === 'database' ? this.databases.get(integration) : undefined),
      receiverPort: (integration) => this.receivers.running().find((running) => running.integration === integration)?.port,
    });
  }

  async dispose(): Promise<void> {
    this.resilience.dispose();
    this.discovery.dispose();
    // Consumers cancel on their connections before the pool closes them.
    await Promise.all([this.receivers.dispose(), this.consumers.dispose()]);
    await Promise.all([this.authorizers.dispose(), this.queues.close(), this.databases.dispose(), closeSharedAgent()]);
  }
}
