import { gatewayAuthorizer } from '../../runners/gateway/gatewayAuth';
import type { NamedGateway } from '../../runners/gateway/gatewayNames';
import { gatewayResultJson } from '../../runners/gateway/gatewayResultJson';
import type { RateLimitResult } from '../../runners/gateway/rateLimitCheck';
import { testGateway, type GatewayTestResult } from '../../runners/gateway/testGateway';
import type { GatewayRouteResult } from '../../runners/gateway/testGatewayRoutes';
import { EngineServices } from '../../runners/engineServices';
import { roundMs as round } from '../../runners/roundMs';
import type { CommandIO } from '../usage';

function routeLine(route: GatewayRouteResult, methodWidth: number, pathWidth: number): string {
  const outcome = route.ok ? `ok ${route.status}` : `FAILED${route.error ? ` (${route.error.kind}): ${route.error.message}` : ` ${route.status}`}`;
  const attempts = route.attempts.length === 1 ? '' : ` after ${route.attempts.length} attempts`;
  return `  ${route.method.padEnd(methodWidth)}  ${route.path.padEnd(pathWidth)}  ${outcome} in ${round(route.durationMs)} ms${attempts}  -> ${route.service}`;
}

function rateLimitLines(rateLimit: RateLimitResult): string[] {
  const lines = [`  rate limit: ${rateLimit.ok ? 'ok' : 'FAILED'}: ${rateLimit.detail}`];
  if (rateLimit.sent > 0) {
    const waited = rateLimit.waitedMs > 0 ? `, after waiting ${round(rateLimit.waitedMs)} ms for the gateway's bucket to refill` : '';
    lines.push(`    ${rateLimit.sent} requests at once: ${rateLimit.method} ${rateLimit.url} in ${round(rateLimit.durationMs)} ms${waited}`);
    lines.push(`    answers: ${Object.entries(rateLimit.outcomes).map(([outcome, count]) => `${count}x ${outcome}`).join(', ')}`);
  }
  return lines;
}

function toText(result: GatewayTestResult): string {
  const methodWidth = Math.max(0, ...result.routes.map((route) => route.method.length));
  const pathWidth = Math.max(0, ...result.routes.map((route) => route.path.length));
  const passed = result.routes.filter((route) => route.ok).length;
  const lines = [`${result.gateway}  ${result.url}  ${result.routes.length} route request${result.routes.length === 1 ? '' : 's'}`];
  lines.push(...result.routes.map((route) => routeLine(route, methodWidth, pathWidth)));
  if (result.rateLimit) lines.push(...rateLimitLines(result.rateLimit));
  lines.push(`${result.ok ? 'ok' : 'FAILED'}: ${passed} of ${result.routes.length} passed in ${round(result.durationMs)} ms`);
  return lines.join('\n') + '\n';
}

/**
 * `test <gateway> [--rate-limit]`: every route and listed method through the gateway, authenticated as its
 * clients are; with `--rate-limit` the burst after them. Exit 0 when all passed, 1 otherwise.
 */
export async function testGatewayCommand(named: NamedGateway, options: { format: string; rateLimit: boolean }, io: CommandIO): Promise<number> {
  const services = new EngineServices();
  try {
    const result = await testGateway(named, { auth: gatewayAuthorizer(named.gateway), registry: services.resilience, rateLimit: options.rateLimit, signal: io.signal });
    io.stdout(options.format === 'json' ? JSON.stringify(gatewayResultJson(result), null, 2) + '\n' : toText(result));
    return result.ok ? 0 : 1;
  } finally {
    await services.dispose();
  }
}
