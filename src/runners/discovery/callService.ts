import { DEFAULTS, DEFAULT_MS } from '../../core/defaults';
import type { HttpMethod, Microservices, ServiceSettings } from '../../core/model';
import { joinToBase } from '../../core/urlJoin';
import { ClassifiedError, redact, runnerError, type RunnerError } from '../errors';
import { runAttempts, type AttemptDestination, type PipelineOptions } from '../http/attemptPipeline';
import type { AttemptRecord, EndpointTiming } from '../http/endpointResult';
import type { BreakerState } from '../http/integrationBreaker';
import { ResilienceRegistry } from '../http/resilienceRegistry';
import type { CapturedResponse } from '../http/responseCapture';
import { healthCheckPath, instanceBaseUrl, type ServiceDirectory } from './serviceDirectory';
import type { ServiceInstance } from './serviceInstance';

export interface ServiceCallOptions extends PipelineOptions {
  directory: ServiceDirectory;
  /** Where the service's breaker lives across calls (EngineServices.resilience). */
  registry?: ResilienceRegistry;
  method?: HttpMethod;
  /** Joined to each instance's base URL (default: the health_check path, else `/`). */
  path?: string;
}

export interface ServiceCallResult {
  service: string;
  method: HttpMethod;
  path: string;
  ok: boolean;
  status?: number;
  error?: RunnerError;
  /** Each attempt names the instance it went to (`node/service-id`). */
  attempts: AttemptRecord[];
  /** How many instances were passing, of how many listed, when the call started. */
  instances: { passing: number; listed: number };
  durationMs: number;
  timing: EndpointTiming;
  response?: Omit<CapturedResponse, 'status'>;
  breaker: BreakerState;
}

/**
 * The policies of a call between services: `communication.timeout` per attempt and `retries` after the
 * first; a retry goes to another instance, so it waits only 100 ms doubling (to 2 s) rather than an
 * endpoint's 1 s. The breaker and bulkhead use the endpoint defaults, the bulkhead with a queue: calls
 * to a service wait their turn.
 */
function callSettings(microservices: Microservices, service: ServiceSettings) {
  const { timeoutMs, retries } = microservices.communication;
  const { circuit_breaker: breaker, bulkhead } = DEFAULTS;
  return {
    // Integrations go by name alone in the registry: a service's policies must not be an integration's.
    name: `microservice:${service.name}`,
    timeoutMs,
    retry: { maxAttempts: Math.max(0, retries) + 1, baseDelayMs: 100, maxDelayMs: 2000, backoffFactor: 2, jitter: true },
    circuitBreaker: { failureThreshold: breaker.failure_threshold, openMs: DEFAULT_MS.breakerOpen, halfOpenMaxCalls: breaker.half_open_max_calls },
    bulkhead: { maxConcurrent: bulkhead.max_concurrent, maxQueue: 1000 },
    rateLimit: undefined,
  };
}

function notSent(service: ServiceSettings, method: HttpMethod, path: string, error: RunnerError, listed: number, startedAt: number, breaker: BreakerState): ServiceCallResult {
  const totalMs = performance.now() - startedAt;
  return { service: service.name, method, path, ok: false, error, attempts: [], instances: { passing: 0, listed }, durationMs: totalMs, timing: { queuedMs: 0, rateLimitWaitMs: 0, backoffMs: 0, totalMs }, breaker };
}

/**
 * Sends one request to a service: to a passing instance its `load_balancer` picks, through the same
 * resilience pipeline as endpoints (attemptPipeline.ts); a retry goes to an instance not tried yet in
 * this call, while there is one. Never throws: Consul down, no passing instance, every attempt failing
 * are in the result.
 */
export async function callService(microservices: Microservices, service: ServiceSettings, options: ServiceCallOptions): Promise<ServiceCallResult> {
  const startedAt = performance.now();
  const method = options.method ?? 'GET';
  const path = options.path ?? healthCheckPath(service) ?? '/';
  const settings = callSettings(microservices, service);
  const policies = (options.registry ?? new ResilienceRegistry()).policiesFor(settings);
  const secrets = microservices.secrets;
  if (microservices.communication.type === 'grpc') return notSent(service, method, path, runnerError('config', `service ${service.name} speaks gRPC, which is not called: only HTTP services are`), 0, startedAt, policies.breaker.state);
  if (service.url !== undefined && !URL.canParse(service.url)) return notSent(service, method, path, runnerError('config', `service ${service.name}: url "${redact(service.url, secrets)}" is not a URL`), 0, startedAt, policies.breaker.state);
  const list = await options.directory.instances(microservices, service, options.signal);
  if (!list.ok) return notSent(service, method, path, list.error, 0, startedAt, policies.breaker.state);
  const passing = list.instances.filter((instance) => instance.state === 'passing');
  const counted = { passing: passing.length, listed: list.instances.length };
  if (!passing.length) {
    const error = runnerError('transient', `service ${service.name}: none of its ${list.instances.length} instances is passing in Consul`, 'no_passing_instance');
    return { ...notSent(service, method, path, error, list.instances.length, startedAt, policies.breaker.state), instances: counted };
  }
  const balancer = options.directory.balancer(service);
  const tried = new Set<string>();
  const destination = (): AttemptDestination => {
    // Every instance tried and failed: a further retry may go to one of them again.
    if (tried.size >= passing.length) tried.clear();
    const picked = balancer.acquire(passing, tried);
    if (!picked) throw new ClassifiedError('transient', `service ${service.name} has no passing instance left`, 'no_passing_instance');
    tried.add(picked.instance.id);
    const url = urlFor(service, picked.instance, path);
    return { url, redactedUrl: redact(url.href, secrets), instance: picked.instance.id, release: picked.release };
  };
  const first = urlFor(service, passing[0], path);
  const outcome = await runAttempts(settings, policies, { target: service.name, method, url: first, redactedUrl: redact(first.href, secrets), headers: () => ({}), destination }, secrets, options);
  const { response, error, attempts, timing } = outcome;
  const result: ServiceCallResult = {
    service: service.name,
    method,
    path,
    ok: !error && response !== undefined && response.status < 400,
    status: response?.status ?? attempts.at(-1)?.status,
    error,
    attempts,
    instances: counted,
    durationMs: timing.totalMs,
    timing,
    breaker: policies.breaker.state,
  };
  if (response) result.response = { headers: response.headers, body: response.body, bytes: response.bytes, truncated: response.truncated };
  return result;
}

function urlFor(service: ServiceSettings, instance: ServiceInstance, path: string): URL {
  return new URL(joinToBase(instanceBaseUrl(service, instance).href, path));
}
