import type { RequestResponseIntegration } from '../../core/model';
import { didYouMean, didYouMeanText } from '../../core/suggest';
import { EngineServices } from '../../runners/engineServices';
import type { EndpointResult } from '../../runners/http/endpointResult';
import { endpointResultJson } from '../../runners/http/endpointResultJson';
import { runAllEndpoints } from '../../runners/http/runAllEndpoints';
import { runEndpoint } from '../../runners/http/runEndpoint';
import { roundMs as round } from '../../runners/roundMs';
import { otlpTracesUrl, setupTelemetry } from '../../runners/telemetry/telemetry';
import type { Workspace } from '../../core/workspace';
import { namedGateways } from '../../runners/gateway/gatewayNames';
import { findIntegration } from '../findIntegration';
import { findService, testService } from './testService';
import { loadWorkspace } from '../loadWorkspace';
import { formatOption, keyValueOptions, parseCommandArgs, UsageError, type Command } from '../usage';
import { testGatewayCommand } from './testGateway';

const USAGE =
  'usage: test <integration>[.<endpoint>] [--param k=v]... [--format text|json] [--workspace DIR]\n' +
  '       test <service> [--path P] [--method M] [--count N] [--format text|json] [--workspace DIR]\n' +
  '       test <gateway> [--rate-limit] [--format text|json] [--workspace DIR]';
/** Endpoints of one integration in flight at once when testing them all. */
const CONCURRENCY = 4;

/** The named request_response integration (and endpoint), or a usage error saying what there is. */
function target(spec: string, workspace: Workspace): { integration: RequestResponseIntegration; endpoint?: string } {
  // Integration names cannot hold a dot; endpoint names (map keys) may.
  const dot = spec.indexOf('.');
  const name = dot < 0 ? spec : spec.slice(0, dot);
  const endpoint = dot < 0 ? undefined : spec.slice(dot + 1);
  const integration = findIntegration(workspace, name, 'request_response');
  if (endpoint !== undefined && !integration.endpoints.some((candidate) => candidate.name === endpoint)) {
    const names = integration.endpoints.map((candidate) => candidate.name);
    const hint = didYouMeanText(didYouMean(endpoint, names)) || ` Its endpoints: ${names.join(', ')}.`;
    throw new UsageError(`"${name}" has no endpoint "${endpoint}".${hint}`);
  }
  return { integration, endpoint };
}

function toText(result: EndpointResult): string {
  const lines = [`${result.integration}.${result.endpoint}  ${result.method} ${result.url ?? '(no URL)'}`];
  const outcome = result.ok ? `ok ${result.status}` : `FAILED${result.error ? ` (${result.error.kind}): ${result.error.message}` : ` ${result.status}`}`;
  lines.push(`  ${outcome} in ${round(result.durationMs)} ms after ${result.attempts.length} attempt${result.attempts.length === 1 ? '' : 's'}`);
  result.attempts.forEach((attempt, index) => {
    const waited = attempt.delayMs > 0 ? ` after ${round(attempt.delayMs)} ms backoff` : '';
    lines.push(`  attempt ${index + 1}${waited}: ${attempt.error?.message ?? attempt.status} in ${round(attempt.durationMs)} ms`);
  });
  const { timing } = result;
  const firstByte = timing.firstByteMs === undefined ? '' : `, first byte ${round(timing.firstByteMs)} ms`;
  lines.push(`  timing: queued ${round(timing.queuedMs)} ms, rate limit ${round(timing.rateLimitWaitMs)} ms, backoff ${round(timing.backoffMs)} ms${firstByte}, total ${round(timing.totalMs)} ms`);
  lines.push(`  breaker: ${result.breaker}`);
  return lines.join('\n') + '\n';
}

/**
 * `test <integration>[.<endpoint>]`: calls one endpoint, or all of them, through
 * the runner's policies. JSON: one endpoint's object, or `{integration, ok,
 * results}` for all. Exit 0 when every call ended in success, 1 otherwise,
 * 2 for bad usage (unknown names, with a did-you-mean).
 */
export const test: Command = async (args, io) => {
  const { values, positionals } = parseCommandArgs(args, {
    param: { type: 'string', multiple: true },
    format: { type: 'string' },
    workspace: { type: 'string' },
    'rate-limit': { type: 'boolean' },
    path: { type: 'string' },
    method: { type: 'string' },
    count: { type: 'string' },
  });
  const format = formatOption(values.format, ['text', 'json'], 'text');
  if (positionals.length !== 1) throw new UsageError(USAGE);
  const workspace = loadWorkspace(io, { workspace: values.workspace });
  const service = findService(workspace, positionals[0]);
  if (service) return testService(service, { ...values, format }, io);
  if (values.path !== undefined || values.method !== undefined || values.count !== undefined) throw new UsageError(`--path, --method and --count are for a service; "${positionals[0]}" is not one.\n${USAGE}`);
  const params = keyValueOptions(values.param, 'param');
  const spec = positionals[0];
  const gateways = namedGateways(workspace.gateways());
  // An integration of the same name wins: gateway names (`api_gateway`, `api_gateway_2`) are fixed.
  const isIntegration = workspace.integration(spec.split('.')[0]) !== undefined;
  const gateway = isIntegration ? undefined : gateways.find((named) => named.name === spec);
  if (gateway) {
    if (values.param) throw new UsageError('--param is for endpoints; a gateway test sends each route as configured');
    return testGatewayCommand(gateway, { format, rateLimit: values['rate-limit'] ?? false }, io);
  }
  if (values['rate-limit']) throw new UsageError(`--rate-limit is for gateways (${gateways.map((named) => named.name).join(', ') || 'none in this workspace'})`);
  const nearGateways = isIntegration ? [] : didYouMean(spec, gateways.map((named) => named.name));
  if (nearGateways.length) throw new UsageError(`no integration or gateway named "${spec}".${didYouMeanText(nearGateways)}`);
  const { integration, endpoint } = target(spec, workspace);
  const telemetry = otlpTracesUrl(io.env) ? setupTelemetry({ env: io.env, secrets: io.secrets }) : undefined;
  const services = new EngineServices();
  try {
    // Bad auth settings (an unset variable) fail each call with a config error instead of stopping the command.
    const options = { params, signal: io.signal, auth: services.authorizers.get(integration), registry: services.resilience };
    const results = endpoint === undefined ? await runAllEndpoints(integration, { ...options, concurrency: CONCURRENCY }) : [await runEndpoint(integration, endpoint, options)];
    const ok = results.every((result) => result.ok);
    if (format === 'json') {
      const document = endpoint === undefined ? { integration: integration.name, ok, results: results.map(endpointResultJson) } : endpointResultJson(results[0]);
      io.stdout(JSON.stringify(document, null, 2) + '\n');
    } else {
      io.stdout(results.map(toText).join('\n'));
    }
    return ok ? 0 : 1;
  } finally {
    await telemetry?.dispose();
    await services.dispose();
  }
};
