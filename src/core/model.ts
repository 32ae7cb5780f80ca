/**
 * The typed configuration the runners consume: defaults applied, durations in
 * milliseconds, `${VAR}`s resolved. Built from a validated document by `buildModel`.
 */

import type {
  COMMUNICATION_TYPES, CONNECTION_TYPES, DELETE_POLICIES, DISCOVERY_SCHEMES, DISCOVERY_TYPES, EXCHANGE_TYPES, GATEWAY_AUTH_TYPES, HTTP_METHODS,
  INTEGRATION_TYPES, LOAD_BALANCERS, SIGNATURE_SCHEMES, SYNC_FREQUENCIES, SYNC_MODES,
} from './defaults';

export { INTEGRATION_TYPES } from './defaults';

export type IntegrationType = (typeof INTEGRATION_TYPES)[number];

export interface RetrySettings {
  /** Every attempt, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  backoffFactor: number;
  jitter: boolean;
}

export interface CircuitBreakerSettings {
  failureThreshold: number;
  openMs: number;
  halfOpenMaxCalls: number;
}

export interface BulkheadSettings {
  maxConcurrent: number;
  maxQueue: number;
}

export interface RateLimitSettings {
  requestsPerMinute: number;
  burstSize: number;
}

export type AuthSettings =
  | { type: 'oauth2_client_credentials'; tokenUrl: string; clientId: string; clientSecret: string; scope?: string }
  | { type: 'bearer'; token: string }
  | { type: 'api_key'; key: string; header: string }
  | { type: 'basic'; username: string; password: string }
  | { type: 'jwt'; secret: string; algorithm: string; claims: Record<string, unknown> };

export interface HealthCheckSettings {
  path?: string;
  url?: string;
  intervalMs: number;
  timeoutMs: number;
  /** Inclusive ranges of statuses that count as healthy. */
  expectStatus: Array<[number, number]>;
}

export interface IntegrationBase {
  name: string;
  type: IntegrationType;
  description?: string;
  timeoutMs: number;
  retry: RetrySettings;
  circuitBreaker: CircuitBreakerSettings;
  bulkhead: BulkheadSettings;
  rateLimit?: RateLimitSettings;
  auth?: AuthSettings;
  healthCheck?: HealthCheckSettings;
  enabled: boolean;
  /** Every resolved value in a secret place of its document (`collectDocumentSecrets`): what redaction masks. */
  secrets: readonly string[];
  /** Where the integration is declared. */
  source: { uri: string; documentIndex: number };
}

export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface EndpointSettings {
  name: string;
  /** Absolute URL or path template with `{param}` placeholders (joined to `baseUrl` when relative). */
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  body?: unknown;
}

export interface RequestResponseIntegration extends IntegrationBase {
  type: 'request_response';
  baseUrl?: string;
  endpoints: EndpointSettings[];
}

export interface PublisherSettings {
  name: string;
  events: string[];
  destination: string;
}

export interface SubscriberSettings {
  name: string;
  events: string[];
  handler: string;
}

export interface EventDrivenIntegration extends IntegrationBase {
  type: 'event_driven';
  publishers: PublisherSettings[];
  subscribers: SubscriberSettings[];
}

export interface QueueSettings {
  name: string;
  exchange?: string;
  exchangeType: (typeof EXCHANGE_TYPES)[number];
  routingKey?: string;
  durable: boolean;
}

export interface MessageQueueIntegration extends IntegrationBase {
  type: 'message_queue';
  connectionUrl: string;
  prefetch: number;
  queues: QueueSettings[];
}

export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];

export interface WebhookEndpointSettings {
  name: string;
  url?: string;
  events: string[];
  secret?: string;
  signature: SignatureScheme;
}

export interface WebhookReceiverSettings {
  host: string;
  port: number;
  pathPrefix: string;
  toleranceMs: number;
  maxBodyBytes: number;
}

export interface WebhookIntegration extends IntegrationBase {
  type: 'webhook';
  endpoints: WebhookEndpointSettings[];
  receiver?: WebhookReceiverSettings;
}

export interface ConnectionSettings {
  name: string;
  type: (typeof CONNECTION_TYPES)[number];
  host?: string;
  port?: number;
  database?: string;
  schema: string;
  user?: string;
  password?: string;
  url?: string;
  ssl: boolean;
  /** pglite data folder, absolute (resolved against the workspace folder). */
  path?: string;
}

export type SyncFrequency = (typeof SYNC_FREQUENCIES)[number];

export interface SyncTableSettings {
  source: string;
  target: string;
  connection: string;
  syncFrequency: SyncFrequency;
  key?: string[];
  mode: (typeof SYNC_MODES)[number];
  delete: (typeof DELETE_POLICIES)[number];
  /** Source column to target column; undefined keeps every column. */
  columns?: Record<string, string>;
  filter?: Record<string, unknown[]>;
}

export interface DatabaseIntegration extends IntegrationBase {
  type: 'database';
  connections: ConnectionSettings[];
  syncTables: SyncTableSettings[];
}

export type Integration = RequestResponseIntegration | EventDrivenIntegration | MessageQueueIntegration | WebhookIntegration | DatabaseIntegration;

export interface ServiceSettings {
  name: string;
  /** Required under static discovery; under consul it gives only the scheme and base path (the instances give host and port). */
  url?: string;
  healthCheck?: string;
  loadBalancer: (typeof LOAD_BALANCERS)[number];
}

export interface ServiceDiscovery {
  type: (typeof DISCOVERY_TYPES)[number];
  host?: string;
  port?: number;
  /** How the Consul agent is reached. */
  scheme: (typeof DISCOVERY_SCHEMES)[number];
  /** The Consul ACL token, sent as `X-Consul-Token` (a secret). */
  token?: string;
}

export interface Microservices {
  discovery?: ServiceDiscovery;
  services: ServiceSettings[];
  communication: { type: (typeof COMMUNICATION_TYPES)[number]; timeoutMs: number; retries: number };
  secrets: readonly string[];
  source: { uri: string; documentIndex: number };
}

export interface ApiGateway {
  host: string;
  port: number;
  ssl: boolean;
  authentication?: {
    type: (typeof GATEWAY_AUTH_TYPES)[number];
    secret?: string;
    /** jwt */
    algorithm: string;
    claims: Record<string, unknown>;
    /** api_key */
    header: string;
    /** oauth2 */
    tokenUrl?: string;
    clientId?: string;
    scope?: string;
  };
  routes: Array<{ path: string; service: string; methods: string[] }>;
  rateLimiting?: RateLimitSettings;
  secrets: readonly string[];
  source: { uri: string; documentIndex: number };
}
