import { isAbsolute, resolve } from 'node:path';
import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { ConfigDocument } from './configFile';
import { documentAliases } from './documentAliases';
import { parseByteSize } from './byteSize';
import { DEFAULT_EXPECT_STATUS, DEFAULT_MAX_BODY_BYTES, DEFAULT_MS, DEFAULTS } from './defaults';
import { parseDuration } from './duration';
import { resolveVariables, type EnvironmentProvider } from './env';
import { collectDocumentSecrets } from './secrets';
import { parseStatusRanges } from './statusRanges';
import type {
  ApiGateway, AuthSettings, ConnectionSettings, EndpointSettings, HealthCheckSettings, HttpMethod, Integration,
  IntegrationBase, Microservices, QueueSettings, RateLimitSettings, RetrySettings, SyncTableSettings, WebhookEndpointSettings, WebhookReceiverSettings,
} from './model';

type Raw = Record<string, unknown>;

export interface BuildContext {
  uri: string;
  env: EnvironmentProvider;
  /** The workspace folder, for relative paths (pglite data folders). */
  folder: string;
}

export type BuiltDocument =
  | { kind: 'integration'; integration: Integration }
  | { kind: 'microservices'; microservices: Microservices }
  | { kind: 'api_gateway'; gateway: ApiGateway };

/**
 * A document's body as plain data, every `${VAR}` resolved and aliases followed as validation follows them
 * (so every walk stays within the same bounds); undefined when an alias is not followed, since then the data would be partial.
 */
function plainBody(document: ConfigDocument, env: EnvironmentProvider): unknown {
  const aliases = documentAliases(document.yaml);
  if (aliases.problems.length > 0) return undefined;
  const plain = (node: unknown): unknown => {
    if (isAlias(node)) return plain(aliases.target(node));
    if (isScalar(node)) return typeof node.value === 'string' ? resolveVariables(node.value, env).value : node.value;
    if (isSeq(node)) return node.items.map(plain);
    if (isMap(node)) return Object.fromEntries(node.items.map((pair) => [String(isScalar(pair.key) ? pair.key.value : plain(pair.key)), plain(pair.value)]));
    return null;
  };
  return plain(document.body);
}

const asRaw = (value: unknown): Raw => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {});
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asStrings = (value: unknown): string[] => asList(value).map(String);
const str = (value: unknown): string | undefined => (value === undefined || value === null ? undefined : String(value));
const num = (value: unknown, fallback: number): number => {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(parsed) ? parsed : fallback;
};
const bool = (value: unknown, fallback: boolean): boolean => (typeof value === 'boolean' ? value : value === 'true' ? true : value === 'false' ? false : fallback);
const ms = (value: unknown, fallback: number): number => parseDuration(value) ?? fallback;

function retrySettings(raw: Raw): RetrySettings {
  const retry = asRaw(raw.retry);
  const fromRetries = raw.retries !== undefined ? num(raw.retries, DEFAULTS.retries) + 1 : undefined;
  return {
    maxAttempts: Math.max(1, fromRetries ?? num(retry.max_attempts, DEFAULTS.retry.max_attempts)),
    baseDelayMs: ms(retry.base_delay, DEFAULT_MS.retryBaseDelay),
    maxDelayMs: ms(retry.max_delay, DEFAULT_MS.retryMaxDelay),
    backoffFactor: num(retry.backoff_factor, DEFAULTS.retry.backoff_factor),
    jitter: bool(retry.jitter, DEFAULTS.retry.jitter),
  };
}

function rateLimit(value: unknown): RateLimitSettings | undefined {
  if (value === undefined) return undefined;
  const raw = asRaw(value);
  const requestsPerMinute = num(raw.requests_per_minute, DEFAULTS.rate_limit.requests_per_minute);
  return { requestsPerMinute, burstSize: num(raw.burst_size, requestsPerMinute) };
}

function authSettings(value: unknown): AuthSettings | undefined {
  if (value === undefined) return undefined;
  const raw = asRaw(value);
  switch (raw.type) {
    case 'oauth2_client_credentials':
      return { type: raw.type, tokenUrl: str(raw.token_url) ?? '', clientId: str(raw.client_id) ?? '', clientSecret: str(raw.client_secret) ?? '', scope: str(raw.scope) };
    case 'bearer':
      return { type: 'bearer', token: str(raw.token) ?? '' };
    case 'api_key':
      return { type: 'api_key', key: str(raw.key) ?? '', header: str(raw.header) ?? DEFAULTS.auth.api_key_header };
    case 'basic':
      return { type: 'basic', username: str(raw.username) ?? '', password: str(raw.password) ?? '' };
    case 'jwt':
      return { type: 'jwt', secret: str(raw.secret) ?? '', algorithm: str(raw.algorithm) ?? DEFAULTS.auth.jwt_algorithm, claims: asRaw(raw.claims) };
    default:
      return undefined;
  }
}

function healthCheck(value: unknown): HealthCheckSettings | undefined {
  if (value === undefined) return undefined;
  const raw = asRaw(value);
  return {
    path: str(raw.path), url: str(raw.url), intervalMs: ms(raw.interval, DEFAULT_MS.healthInterval), timeoutMs: ms(raw.timeout, DEFAULT_MS.healthTimeout),
    // A value validation rejects gets the default, as for the other settings.
    expectStatus: parseStatusRanges(raw.expect_status) ?? DEFAULT_EXPECT_STATUS,
  };
}

function base(raw: Raw, ctx: BuildContext, documentIndex: number, secrets: readonly string[]): IntegrationBase {
  const breaker = asRaw(raw.circuit_breaker);
  const bulkhead = asRaw(raw.bulkhead);
  return {
    name: str(raw.name) ?? '',
    type: raw.type as IntegrationBase['type'],
    description: str(raw.description),
    timeoutMs: ms(raw.timeout, DEFAULT_MS.timeout),
    retry: retrySettings(raw),
    circuitBreaker: {
      failureThreshold: num(breaker.failure_threshold, DEFAULTS.circuit_breaker.failure_threshold),
      openMs: ms(breaker.timeout, DEFAULT_MS.breakerOpen),
      halfOpenMaxCalls: num(breaker.half_open_max_calls, DEFAULTS.circuit_breaker.half_open_max_calls),
    },
    bulkhead: { maxConcurrent: num(bulkhead.max_concurrent, DEFAULTS.bulkhead.max_concurrent), maxQueue: num(bulkhead.max_queue, DEFAULTS.bulkhead.max_queue) },
    rateLimit: rateLimit(raw.rate_limit),
    auth: authSettings(raw.auth),
    healthCheck: healthCheck(raw.health_check),
    enabled: bool(raw.enabled, DEFAULTS.enabled),
    secrets,
    source: { uri: ctx.uri, documentIndex },
  };
}

/** A webhook's `receiver` section (`{}`: every default, which a webhook without one gets too). */
export function receiverSettings(receiver: Raw): WebhookReceiverSettings {
  return {
    host: str(receiver.host) ?? DEFAULTS.receiver.host,
    port: num(receiver.port, DEFAULTS.receiver.port),
    pathPrefix: str(receiver.path_prefix) ?? DEFAULTS.receiver.path_prefix,
    toleranceMs: ms(receiver.tolerance, DEFAULT_MS.receiverTolerance),
    maxBodyBytes: parseByteSize(receiver.max_body) ?? DEFAULT_MAX_BODY_BYTES,
  };
}

function endpoints(value: unknown): EndpointSettings[] {
  return Object.entries(asRaw(value)).map(([name, spec]) => {
    if (typeof spec === 'string') return { name, url: spec, method: DEFAULTS.method, headers: {} };
    const raw = asRaw(spec);
    const headers = Object.fromEntries(Object.entries(asRaw(raw.headers)).map(([key, header]) => [key, String(header)]));
    return { name, url: str(raw.url) ?? '', method: (str(raw.method)?.toUpperCase() ?? DEFAULTS.method) as HttpMethod, headers, body: raw.body };
  });
}

function queues(value: unknown): QueueSettings[] {
  return asList(value).map((item) => {
    const raw = asRaw(item);
    return { name: str(raw.name) ?? '', exchange: str(raw.exchange), exchangeType: (str(raw.exchange_type) ?? DEFAULTS.message_queue.exchange_type) as QueueSettings['exchangeType'], routingKey: str(raw.routing_key), durable: bool(raw.durable, DEFAULTS.message_queue.durable) };
  });
}

function webhookEndpoints(value: unknown): WebhookEndpointSettings[] {
  return asList(value).map((item) => {
    const raw = asRaw(item);
    return { name: str(raw.name) ?? '', url: str(raw.url), events: asStrings(raw.events), secret: str(raw.secret) || undefined, signature: (str(raw.signature) ?? DEFAULTS.webhook.signature) as WebhookEndpointSettings['signature'] };
  });
}

function connections(value: unknown, ctx: BuildContext): ConnectionSettings[] {
  return asList(value).map((item) => {
    const raw = asRaw(item);
    // A connection that names a server (`host` or `url`) and no `type` means that server, not the embedded default.
    const namesServer = raw.host !== undefined || raw.url !== undefined;
    const type = (str(raw.type) ?? (namesServer ? 'postgresql' : DEFAULTS.connection.type)) as ConnectionSettings['type'];
    const path = str(raw.path);
    return {
      name: str(raw.name) ?? '',
      type,
      host: str(raw.host),
      port: raw.port === undefined ? undefined : num(raw.port, DEFAULTS.connection.port),
      database: str(raw.database),
      schema: str(raw.schema) ?? DEFAULTS.connection.schema,
      user: str(raw.user),
      password: str(raw.password),
      url: str(raw.url),
      ssl: bool(raw.ssl, DEFAULTS.connection.ssl),
      path: path === undefined ? undefined : isAbsolute(path) ? path : resolve(ctx.folder, path),
    };
  });
}

function columnMap(value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return Object.fromEntries(value.map((column) => [String(column), String(column)]));
  return Object.fromEntries(Object.entries(asRaw(value)).map(([from, to]) => [from, String(to)]));
}

function syncTables(value: unknown, defaultConnection: string): SyncTableSettings[] {
  return asList(value).map((item) => {
    const raw = asRaw(item);
    const key = raw.key === undefined ? undefined : Array.isArray(raw.key) ? asStrings(raw.key) : [String(raw.key)];
    const filter = raw.filter === undefined ? undefined : Object.fromEntries(Object.entries(asRaw(raw.filter)).map(([column, allowed]) => [column, Array.isArray(allowed) ? allowed : [allowed]]));
    return {
      source: str(raw.source) ?? '',
      target: str(raw.target) ?? '',
      connection: str(raw.connection) ?? defaultConnection,
      syncFrequency: (str(raw.sync_frequency) ?? DEFAULTS.sync_table.sync_frequency) as SyncTableSettings['syncFrequency'],
      key,
      mode: (str(raw.mode) ?? DEFAULTS.sync_table.mode) as SyncTableSettings['mode'],
      delete: (str(raw.delete) ?? DEFAULTS.sync_table.delete) as SyncTableSettings['delete'],
      columns: columnMap(raw.columns),
      filter,
    };
  });
}

function integration(raw: Raw, ctx: BuildContext, documentIndex: number, secrets: readonly string[]): Integration | undefined {
  const common = base(raw, ctx, documentIndex, secrets);
  switch (raw.type) {
    case 'request_response':
      return { ...common, type: 'request_response', baseUrl: str(raw.base_url), endpoints: endpoints(raw.endpoints) };
    case 'event_driven':
      return {
        ...common,
        type: 'event_driven',
        publishers: asList(raw.publishers).map((item) => ({ name: str(asRaw(item).name) ?? '', events: asStrings(asRaw(item).events), destination: str(asRaw(item).destination) ?? '' })),
        subscribers: asList(raw.subscribers).map((item) => ({ name: str(asRaw(item).name) ?? '', events: asStrings(asRaw(item).events), handler: str(asRaw(item).handler) ?? '' })),
      };
    case 'message_queue':
      return { ...common, type: 'message_queue', connectionUrl: str(raw.connection_url) ?? '', prefetch: num(raw.prefetch, DEFAULTS.message_queue.prefetch), queues: queues(raw.queues) };
    case 'webhook': {
      const receiver = raw.receiver === undefined ? undefined : asRaw(raw.receiver);
      return {
        ...common,
        type: 'webhook',
        endpoints: webhookEndpoints(raw.endpoints),
        receiver: receiver && receiverSettings(receiver),
      };
    }
    case 'database': {
      const conns = connections(raw.connections, ctx);
      return { ...common, type: 'database', connections: conns, syncTables: syncTables(raw.sync_tables, conns[0]?.name ?? '') };
    }
    default:
      return undefined;
  }
}

/** The typed model of one document, or undefined when it has no recognisable top-level key or type. */
export function buildModel(document: ConfigDocument, ctx: BuildContext): BuiltDocument | undefined {
  if (!document.kind || !document.body) return undefined;
  const body = plainBody(document, ctx.env);
  if (body === undefined) return undefined;
  const raw = asRaw(body);
  const source = { uri: ctx.uri, documentIndex: document.index };
  const secrets = collectDocumentSecrets(document, ctx.env);
  switch (document.kind) {
    case 'integration': {
      const built = integration(raw, ctx, document.index, secrets);
      return built && { kind: 'integration', integration: built };
    }
    case 'microservices': {
      const discovery = raw.discovery === undefined ? undefined : asRaw(raw.discovery);
      const communication = asRaw(raw.communication);
      return {
        kind: 'microservices',
        microservices: {
          discovery: discovery && {
            type: (str(discovery.type) ?? DEFAULTS.discovery.type) as 'consul' | 'static',
            host: str(discovery.host),
            port: discovery.port === undefined ? undefined : num(discovery.port, DEFAULTS.discovery.consul_port),
            scheme: (str(discovery.scheme) ?? DEFAULTS.discovery.scheme) as 'http' | 'https',
            token: str(discovery.token),
          },
          services: asList(raw.services).map((item) => {
            const service = asRaw(item);
            return { name: str(service.name) ?? '', url: str(service.url), healthCheck: str(service.health_check), loadBalancer: (str(service.load_balancer) ?? DEFAULTS.service.load_balancer) as 'round_robin' };
          }),
          communication: {
            type: (str(communication.type) ?? DEFAULTS.communication.type) as 'http' | 'grpc',
            timeoutMs: ms(communication.timeout, DEFAULT_MS.communicationTimeout),
            retries: num(communication.retries, DEFAULTS.communication.retries),
          },
          secrets,
          source,
        },
      };
    }
    case 'api_gateway': {
      const authentication = raw.authentication === undefined ? undefined : asRaw(raw.authentication);
      return {
        kind: 'api_gateway',
        gateway: {
          host: str(raw.host) ?? DEFAULTS.gateway.host,
          port: num(raw.port, DEFAULTS.gateway.port),
          ssl: bool(raw.ssl, DEFAULTS.gateway.ssl),
          authentication: authentication && {
            type: (str(authentication.type) ?? 'jwt') as 'jwt',
            secret: str(authentication.secret),
            algorithm: str(authentication.algorithm) ?? DEFAULTS.auth.jwt_algorithm,
            claims: asRaw(authentication.claims),
            header: str(authentication.header) ?? DEFAULTS.auth.api_key_header,
            tokenUrl: str(authentication.token_url),
            clientId: str(authentication.client_id),
            scope: str(authentication.scope),
          },
          routes: asList(raw.routes).map((item) => ({ path: str(asRaw(item).path) ?? '', service: str(asRaw(item).service) ?? '', methods: asStrings(asRaw(item).methods) })),
          rateLimiting: rateLimit(raw.rate_limiting),
          secrets,
          source,
        },
      };
    }
  }
}
