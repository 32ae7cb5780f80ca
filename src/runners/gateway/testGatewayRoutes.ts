import type { Dispatcher } from 'undici';
import type { ApiGateway, HttpMethod } from '../../core/model';
import { classifyError, redact, runnerError, type RunnerError } from '../errors';
import { runAttempts, type HttpRequestPlan } from '../http/attemptPipeline';
import type { AttemptRecord } from '../http/endpointResult';
import type { RequestAuthorizer } from '../http/requestAuthorizer';
import { ResilienceRegistry, type IntegrationPolicies } from '../http/resilienceRegistry';
import { mapConcurrent } from '../mapConcurrent';
import type { RunOptions } from '../runEvents';
import { routeMethods, routeUrl } from './gatewayAddress';
import type { NamedGateway } from './gatewayNames';
import { gatewayPipelineSettings } from './gatewayPolicies';
import { routeFailure } from './routeFailure';

/** One request through the gateway: a route and one of its methods. */
export interface GatewayRouteResult {
  path: string;
  service: string;
  method: string;
  /** The URL sent to, redacted. */
  url: string;
  /** The final answer was a 2xx or 3xx. */
  ok: boolean;
  status?: number;
  /** Why not ok, in the gateway's terms (route missing, method or credential refused, service failing). */
  error?: RunnerError;
  attempts: AttemptRecord[];
  durationMs: number;
}

export interface GatewayRunOptions extends RunOptions {
  /** The gateway's client credential (gatewayAuthorizer). */
  auth?: RequestAuthorizer;
  /** Shared policies (EngineServices.resilience): one client-side rate limit for the gateway across runs. */
  registry?: ResilienceRegistry;
  dispatcher?: Dispatcher;
}

/** Route tests in flight at once. */
const CONCURRENCY = 4;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

type Route = ApiGateway['routes'][number];

/** One request per route and method: an empty JSON object as the body of methods that carry one. */
function requestPlan(gateway: ApiGateway, route: Route, method: string, secrets: readonly string[]): HttpRequestPlan {
  const url = routeUrl(gateway, route.path);
  const hasBody = BODY_METHODS.has(method);
  return {
    target: `${method} ${route.path}`,
    method: method as HttpMethod,
    url,
    redactedUrl: redact(url.href, secrets),
    headers: () => ({ accept: 'application/json, */*', ...(hasBody ? { 'content-type': 'application/json' } : {}) }),
    body: hasBody ? '{}' : undefined,
  };
}

async function testRoute(named: NamedGateway, policies: IntegrationPolicies, route: Route, method: string, options: GatewayRunOptions): Promise<GatewayRouteResult> {
  const { gateway } = named;
  let plan: HttpRequestPlan;
  try {
    plan = requestPlan(gateway, route, method, gateway.secrets);
  } catch (error) {
    const failure = classifyError(error, gateway.secrets);
    return { path: route.path, service: route.service, method, url: '', ok: false, error: runnerError('config', `no URL for ${route.path} on ${gateway.host}:${gateway.port}: ${failure.message}`), attempts: [], durationMs: 0 };
  }
  const outcome = await runAttempts(gatewayPipelineSettings(named), policies, plan, gateway.secrets, options);
  const status = outcome.response?.status ?? outcome.attempts.at(-1)?.status;
  const answered = status === undefined ? undefined : routeFailure({ path: route.path, method, service: route.service, status, allow: outcome.response?.headers.allow });
  const error = answered ?? outcome.error;
  const result: GatewayRouteResult = { path: route.path, service: route.service, method, url: plan.redactedUrl, ok: !error && status !== undefined, attempts: outcome.attempts, durationMs: outcome.timing.totalMs };
  if (status !== undefined) result.status = status;
  if (error) result.error = error;
  return result;
}

const policiesOf = (named: NamedGateway, options: GatewayRunOptions): IntegrationPolicies => (options.registry ?? new ResilienceRegistry()).policiesFor(gatewayPipelineSettings(named));

/**
 * `test <gateway>`: one request per route and listed method (GET for a route that lists none) through
 * `host:port`, authenticated as configured, through the resilience pipeline. Never throws: a gateway that
 * is down or drops the connection is in each route's result.
 */
export function testGatewayRoutes(named: NamedGateway, options: GatewayRunOptions = {}): Promise<GatewayRouteResult[]> {
  const policies = policiesOf(named, options);
  const requests = named.gateway.routes.flatMap((route) => routeMethods(route).map((method) => ({ route, method })));
  return mapConcurrent(requests, CONCURRENCY, ({ route, method }) => testRoute(named, policies, route, method, options));
}

/** One route and method of `test <gateway>` (the editor's Testing view runs them one by one). Never throws. */
export function testGatewayRoute(named: NamedGateway, path: string, method: string, options: GatewayRunOptions = {}): Promise<GatewayRouteResult> {
  const route = named.gateway.routes.find((candidate) => candidate.path === path && routeMethods(candidate).includes(method));
  if (!route) return Promise.resolve({ path, service: '', method, url: '', ok: false, error: runnerError('config', `${named.name} has no route ${method} ${path}`), attempts: [], durationMs: 0 });
  return testRoute(named, policiesOf(named, options), route, method, options);
}
