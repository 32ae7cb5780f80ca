import { HTTP_METHODS } from '../../core/defaults';
import type { HttpMethod, Microservices, ServiceSettings } from '../../core/model';
import type { Workspace } from '../../core/workspace';
import { callService, type ServiceCallResult } from '../../runners/discovery/callService';
import { serviceCallJson } from '../../runners/discovery/serviceCallJson';
import { EngineServices } from '../../runners/engineServices';
import { roundMs as round } from '../../runners/roundMs';
import { UsageError, type CommandIO } from '../usage';

/** Calls of one `test <service> --count N`, at most. */
const MAX_SERVICE_CALLS = 1000;

/** The microservice named `name`, when no integration has that name (an integration's test wins). */
export function findService(workspace: Workspace, name: string): { microservices: Microservices; service: ServiceSettings } | undefined {
  return workspace.integration(name) ? undefined : workspace.service(name);
}

function countOf(text: string | undefined): number {
  if (text === undefined) return 1;
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1 || count > MAX_SERVICE_CALLS) throw new UsageError(`--count must be a whole number from 1 to ${MAX_SERVICE_CALLS}, not "${text}"`);
  return count;
}

function methodOf(text: string | undefined): HttpMethod | undefined {
  if (text === undefined) return undefined;
  const method = text.toUpperCase();
  if (!(HTTP_METHODS as readonly string[]).includes(method)) throw new UsageError(`--method must be one of ${HTTP_METHODS.join(', ')}, not "${text}"`);
  return method as HttpMethod;
}

function toText(results: ServiceCallResult[]): string {
  const lines: string[] = [];
  for (const result of results) {
    const outcome = result.ok ? `ok ${result.status}` : `FAILED${result.error ? ` (${result.error.kind}): ${result.error.message}` : ` ${result.status}`}`;
    lines.push(`${result.service}  ${result.method} ${result.path}  ${outcome} in ${round(result.durationMs)} ms (${result.instances.passing} of ${result.instances.listed} instances passing)`);
    result.attempts.forEach((attempt, index) => {
      const waited = attempt.delayMs > 0 ? ` after ${round(attempt.delayMs)} ms backoff` : '';
      lines.push(`  attempt ${index + 1}${waited} -> ${attempt.instance ?? '?'}: ${attempt.error?.message ?? attempt.status} in ${round(attempt.durationMs)} ms`);
    });
  }
  if (results.length > 1) {
    const byInstance = new Map<string, number>();
    for (const result of results) {
      const last = result.attempts.at(-1);
      if (result.ok && last?.instance) byInstance.set(last.instance, (byInstance.get(last.instance) ?? 0) + 1);
    }
    lines.push('', `${results.filter((result) => result.ok).length} of ${results.length} calls ok; answered by: ${[...byInstance].map(([instance, count]) => `${instance} ${count}`).join(', ') || 'none'}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * `test <service> [--path P] [--method M] [--count N]`: N calls (one after another, so the load balancer's turns show)
 * to instances the service's `load_balancer` picks. Exit 0 when every call succeeded.
 */
export async function testService(found: { microservices: Microservices; service: ServiceSettings }, options: { path?: string; method?: string; count?: string; format: string }, io: CommandIO): Promise<number> {
  const count = countOf(options.count);
  const method = methodOf(options.method);
  const services = new EngineServices();
  try {
    const results: ServiceCallResult[] = [];
    for (let call = 0; call < count && !io.signal?.aborted; call++) {
      results.push(await callService(found.microservices, found.service, { directory: services.discovery, registry: services.resilience, path: options.path, method, signal: io.signal }));
    }
    const ok = results.length === count && results.every((result) => result.ok);
    if (options.format === 'json') io.stdout(JSON.stringify(count === 1 ? serviceCallJson(results[0]) : { service: found.service.name, ok, results: results.map(serviceCallJson) }, null, 2) + '\n');
    else io.stdout(toText(results));
    return ok ? 0 : 1;
  } finally {
    await services.dispose();
  }
}
