/**
 * Every list of allowed values and every default of the config language, written once: the schema offers and
 * documents them (`enum`, `default`), the model builder fills them in, the runners fall back on them.
 * Defaults are in config notation (`30s`, `1MB`), as a user writes them and the schema shows them;
 * `DEFAULT_MS` has the durations in milliseconds.
 */
import { parseByteSize } from './byteSize';
import { parseDuration } from './duration';
import { parseStatusRanges, type StatusRanges } from './statusRanges';

export const INTEGRATION_TYPES = ['request_response', 'event_driven', 'message_queue', 'webhook', 'database'] as const;
export const AUTH_TYPES = ['oauth2_client_credentials', 'bearer', 'api_key', 'basic', 'jwt'] as const;
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export const SIGNATURE_SCHEMES = ['github', 'standard', 'slack', 'stripe', 'none'] as const;
/** `headers` exchanges are not offered: they route on binding arguments, which the config has no key for (docs/configuration.md). */
export const EXCHANGE_TYPES = ['topic', 'direct', 'fanout'] as const;
export const CONNECTION_TYPES = ['postgresql', 'pglite'] as const;
export const SYNC_FREQUENCIES = ['real_time', 'hourly', 'daily', 'manual'] as const;
export const SYNC_MODES = ['incremental', 'full'] as const;
export const DELETE_POLICIES = ['ignore', 'propagate'] as const;
export const JWT_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
export const DISCOVERY_TYPES = ['consul', 'static'] as const;
export const DISCOVERY_SCHEMES = ['http', 'https'] as const;
export const LOAD_BALANCERS = ['round_robin', 'least_connections', 'random'] as const;
export const COMMUNICATION_TYPES = ['http', 'grpc'] as const;
export const GATEWAY_AUTH_TYPES = ['jwt', 'api_key', 'oauth2'] as const;

export const DEFAULTS = {
  timeout: '30s',
  /** `retries` (shorthand): retries after the first attempt. */
  retries: 3,
  enabled: true,
  method: 'GET',
  retry: { max_attempts: 4, base_delay: '1s', max_delay: '60s', backoff_factor: 2, jitter: true },
  circuit_breaker: { failure_threshold: 5, timeout: '60s', half_open_max_calls: 1 },
  bulkhead: { max_concurrent: 10, max_queue: 0 },
  rate_limit: { requests_per_minute: 60 },
  health_check: { interval: '30s', timeout: '5s', expect_status: '200-399' },
  auth: { api_key_header: 'X-API-Key', jwt_algorithm: 'HS256' },
  message_queue: { prefetch: 10, exchange_type: 'topic', durable: true },
  webhook: { signature: 'github' },
  receiver: { host: '127.0.0.1', port: 0, path_prefix: '/webhook', tolerance: '5m', max_body: '1MB' },
  connection: { type: 'pglite', schema: 'public', ssl: false, port: 5432 },
  sync_table: { sync_frequency: 'manual', mode: 'incremental', delete: 'ignore' },
  discovery: { type: 'static', consul_host: '127.0.0.1', consul_port: 8500, scheme: 'http' },
  service: { load_balancer: 'round_robin' },
  communication: { type: 'http', timeout: '30s', retries: 3 },
  gateway: { host: '127.0.0.1', port: 8080, ssl: false, jwt_subject: 'simone-integrations' },
} as const satisfies Record<string, unknown>;

const msOf = (duration: string): number => {
  const ms = parseDuration(duration);
  if (ms === undefined) throw new Error(`a default is not a duration: ${duration}`);
  return ms;
};

/** The default durations, in milliseconds. */
export const DEFAULT_MS = {
  timeout: msOf(DEFAULTS.timeout),
  retryBaseDelay: msOf(DEFAULTS.retry.base_delay),
  retryMaxDelay: msOf(DEFAULTS.retry.max_delay),
  breakerOpen: msOf(DEFAULTS.circuit_breaker.timeout),
  healthInterval: msOf(DEFAULTS.health_check.interval),
  healthTimeout: msOf(DEFAULTS.health_check.timeout),
  receiverTolerance: msOf(DEFAULTS.receiver.tolerance),
  communicationTimeout: msOf(DEFAULTS.communication.timeout),
} as const;

export const DEFAULT_EXPECT_STATUS: StatusRanges = parseStatusRanges(DEFAULTS.health_check.expect_status)!;
export const DEFAULT_MAX_BODY_BYTES = parseByteSize(DEFAULTS.receiver.max_body)!;
