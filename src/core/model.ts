/**
 * The typed configuration the runners consume: defaults applied, durations in
 * milliseconds, `${VAR}`s resolved. Built from a validated document by `buildModel`.
 */

export const INTEGRATION_TYPES = ['request_response', 'event_driven', 'message_queue', 'webhook', 'database'] as const;
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

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

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
  exchangeType: 'topic' | 'direct' | 'fanout' | 'headers';
  routingKey?: string;
  durable: boolean;
}

export interface MessageQueueIntegration extends IntegrationBase {
  type: 'message_queue';
  connectionUrl: string;
  prefetch: number;
  queues: QueueSettings[];
}

export type SignatureScheme = 'github' | 'standard' | 'slack' | 'stripe' | 'none';

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
  type: 'postgresql' | 'pglite';
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

export type SyncFrequency = 'real_time' | 'hourly' | 'daily' | 'manual';

export interface SyncTableSettings {
  source: string;
  target: string;
  connection: string;
  syncFrequency: SyncFrequency;
  key?: string[];
  mode: 'incremental' | 'full';
  delete: 'ignore' | 'propagate';
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
  url: string;
  healthCheck?: string;
  loadBalancer: 'round_robin' | 'least_connections' | 'random';
}

export interface Microservices {
  discovery?: { type: 'consul' | 'static'; host?: string; port?: number };
  services: ServiceSettings[];
  communication: { type: 'http' | 'grpc'; timeoutMs: number; retries: number };
  secrets: readonly string[];
  source: { uri: string; documentIndex: number };
}

export interface ApiGateway {
  host: string;
  port: number;
  ssl: boolean;
  authentication?: { type: 'jwt' | 'api_key' | 'oauth2'; secret?: string };
  routes: Array<{ path: string; service: string; methods: string[] }>;
  rateLimiting?: RateLimitSettings;
  secrets: readonly string[];
  source: { uri: string; documentIndex: number };
}
