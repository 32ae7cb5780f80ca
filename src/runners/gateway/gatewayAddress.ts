import type { ApiGateway } from '../../core/model';
import { connectableHost } from '../health/tcpConnectCheck';

/** Where clients reach the gateway: `http(s)://host:port` (a bind-everywhere host as loopback). */
export function gatewayBaseUrl(gateway: ApiGateway): URL {
  const host = connectableHost(gateway.host);
  return new URL(`${gateway.ssl ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${gateway.port}`);
}

/** A route's path prefix on the gateway: the request a route test sends. */
export function routeUrl(gateway: ApiGateway, path: string): URL {
  return new URL(path, gatewayBaseUrl(gateway));
}

/** The methods a route test sends: those listed, or GET when the route takes all. */
export function routeMethods(route: ApiGateway['routes'][number]): string[] {
  return route.methods.length ? route.methods : ['GET'];
}

/**
 * The route (and safe method) that health and the rate-limit burst send to: the first that takes one of
 * `methods`. Undefined when no route does: unsafe methods are never sent unasked.
 */
export function safeRoute(gateway: ApiGateway, methods: readonly string[] = ['GET', 'HEAD']): { route: ApiGateway['routes'][number]; method: string } | undefined {
  for (const route of gateway.routes) {
    const method = route.methods.length ? methods.find((candidate) => route.methods.includes(candidate)) : methods[0];
    if (method) return { route, method };
  }
  return undefined;
}
