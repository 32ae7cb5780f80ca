import { gatewayBaseUrl } from './gatewayAddress';
import type { NamedGateway } from './gatewayNames';
import { checkRateLimit, type RateLimitResult } from './rateLimitCheck';
import { testGatewayRoutes, type GatewayRouteResult, type GatewayRunOptions } from './testGatewayRoutes';

export interface GatewayTestResult {
  gateway: string;
  /** `http(s)://host:port`, or the configured host and port when that is no URL. */
  url: string;
  /** Every route passed (and the rate limit held, when checked). */
  ok: boolean;
  routes: GatewayRouteResult[];
  /** Only with `rateLimit: true`. */
  rateLimit?: RateLimitResult;
  durationMs: number;
}

function baseUrlText({ gateway }: NamedGateway): string {
  try {
    return gatewayBaseUrl(gateway).origin;
  } catch {
    return `${gateway.host}:${gateway.port}`;
  }
}

/** The route tests, then with `rateLimit` the burst (never by default: it spends the gateway's allowance). Never throws. */
export async function testGateway(named: NamedGateway, options: GatewayRunOptions & { rateLimit?: boolean } = {}): Promise<GatewayTestResult> {
  const started = performance.now();
  const routes = await testGatewayRoutes(named, options);
  const sentBefore = routes.reduce((sum, route) => sum + route.attempts.length, 0);
  const rateLimit = options.rateLimit ? await checkRateLimit(named, { auth: options.auth, signal: options.signal, sentBefore }) : undefined;
  const ok = routes.every((route) => route.ok) && (rateLimit?.ok ?? true);
  return { gateway: named.name, url: baseUrlText(named), ok, routes, ...(rateLimit ? { rateLimit } : {}), durationMs: performance.now() - started };
}
