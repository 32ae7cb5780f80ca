import type { Dispatcher } from 'undici';
import type { Integration, MessageQueueIntegration } from '../../core/model';
import { Authorizers } from '../auth/authorizers';
import { ServiceDirectory } from '../discovery/serviceDirectory';
import type { RequestAuthorizer } from '../http/requestAuthorizer';
import { ResilienceRegistry } from '../http/resilienceRegistry';
import { QueueConnection } from '../queue/queueConnection';
import type { ConnectionSet } from '../sync/connectionSet';

/** A connection to probe through, and what to do with it afterwards. */
export interface LeasedQueueConnection {
  connection: QueueConnection;
  release(): Promise<void>;
}

/** What the probes need from the world around them, passed in (the extension shares its live pools). */
export interface HealthProbeContext {
  /** Every integration of the workspace: event destinations name queues of message_queue integrations. */
  readonly integrations: readonly Integration[];
  /** Where breaker states are read: the registry the runners use. */
  readonly registry: ResilienceRegistry;
  readonly dispatcher?: Dispatcher;
  /** Where microservices' instances come from (Consul watches shared with calls). */
  readonly discovery: ServiceDirectory;
  /** The workspace folder an integration belongs to: database health reads the Simone project there. */
  projectFolder(integration: Integration): string;
  /** The auth a health check sends, kept between probes (an OAuth token is reused until it expires). */
  authorizer(integration: Integration): RequestAuthorizer | undefined;
  queueConnection(integration: MessageQueueIntegration): LeasedQueueConnection;
  /** Open database connections to reuse (a PGlite folder opens once per process); default: opened and closed per probe. */
  databaseConnections?(integration: Integration): ConnectionSet | undefined;
  /** The port a webhook receiver started by this process listens on (`receiver.port: 0` picks a free one). */
  receiverPort?(integration: string): number | undefined;
}

export interface HealthProbeContextOptions {
  integrations: readonly Integration[];
  projectFolder: (integration: Integration) => string;
  /** The registry the runners use (EngineServices.resilience), so health shows their breakers; default: one of its own. */
  registry?: ResilienceRegistry;
  /** Shared with the runners (EngineServices.authorizers), so they all use one OAuth token; default: the context's own. */
  authorizers?: Authorizers;
  dispatcher?: Dispatcher;
  /** Shared with service calls (EngineServices.discovery); default: one of its own, which runs no watch until subscribed. */
  discovery?: ServiceDirectory;
  /** A live pool (publishers and consumers share it); default: one connection per probe that declares nothing, closed after. */
  queueConnections?: {
    get(integration: MessageQueueIntegration): QueueConnection;
  };
  databaseConnections?: (integration: Integration) => ConnectionSet | undefined;
  receiverPort?: (integration: string) => number | undefined;
}

export function createHealthProbeContext(options: HealthProbeContextOptions): HealthProbeContext {
  // Bad auth settings (an unset variable) fail each health check with a config error instead of the whole round.
  const authorizers = options.authorizers ?? new Authorizers({ dispatcher: options.dispatcher });
  return {
    integrations: options.integrations,
    registry: options.registry ?? new ResilienceRegistry(),
    dispatcher: options.dispatcher,
    discovery: options.discovery ?? new ServiceDirectory({ dispatcher: options.dispatcher }),
    projectFolder: options.projectFolder,
    databaseConnections: options.databaseConnections,
    receiverPort: options.receiverPort,
    authorizer: (integration) => authorizers.get(integration),
    queueConnection(integration) {
      const pool = options.queueConnections;
      if (pool)
        return {
          connection: pool.get(integration),
          release: async () => undefined,
        };
      // Declaring nothing: a probe must not create the queues it is checking for.
      const connection = new QueueConnection(integration, {
        reconnect: false,
        declareTopology: false,
      });
      return { connection, release: () => connection.close() };
    },
  };
}
