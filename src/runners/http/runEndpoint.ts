import type { EndpointSettings, RequestResponseIntegration } from '../../core/model';
import { classifyError, integrationSecrets, redact, runnerError, type RunnerError } from '../errors';
import { runAttempts, type HttpRequestPlan, type PipelineOptions, type PipelineOutcome } from './attemptPipeline';
import type { EndpointResult } from './endpointResult';
import { fillBody } from './endpointBody';
import { endpointUrl } from './endpointUrl';
import { ResilienceRegistry, type IntegrationPolicies } from './resilienceRegistry';

export interface RunEndpointOptions extends PipelineOptions {
  /** Values for the `{param}` placeholders of the endpoint's URL and body; unused ones become query parameters. */
  params?: Readonly<Record<string, string>>;
  /** Replaces the endpoint's configured body; objects are sent as JSON, strings as text. */
  body?: unknown;
  /** Where the integration's policies live across calls (EngineServices.resilience); without one the call's policies are its own. */
  registry?: ResilienceRegistry;
}

type Located = { endpoint?: EndpointSettings; error: RunnerError } | { endpoint: EndpointSettings; url: URL; redactedUrl: string; body: unknown };

// Without parameters or a given body an endpoint always sends the same request: build it once per model.
const locatedAsConfigured = new WeakMap<RequestResponseIntegration, Map<string, Located>>();

/** The endpoint, the URL it calls and the body it sends (placeholders filled), or why there is none. */
function locateEndpoint(integration: RequestResponseIntegration, endpointName: string, options: RunEndpointOptions, secrets: readonly string[]): Located {
  const params = options.params ?? {};
  const cacheable = options.body === undefined && Object.keys(params).length === 0;
  const cached = cacheable ? locatedAsConfigured.get(integration)?.get(endpointName) : undefined;
  if (cached) return cached;
  let located: Located;
  const endpoint = integration.endpoints.find((candidate) => candidate.name === endpointName);
  if (!endpoint) {
    located = { error: runnerError('config', `"${integration.name}" has no endpoint "${endpointName}"`) };
  } else {
    try {
      const usedByBody = new Set<string>();
      const body = fillBody(options.body ?? endpoint.body, params, endpoint.name, usedByBody);
      const url = endpointUrl(integration, endpoint, params, usedByBody);
      located = { endpoint, url, redactedUrl: redact(url.href, secrets), body };
    } catch (error) {
      located = { endpoint, error: classifyError(error, secrets) };
    }
  }
  if (cacheable) {
    let byName = locatedAsConfigured.get(integration);
    if (!byName) locatedAsConfigured.set(integration, (byName = new Map()));
    byName.set(endpointName, located);
  }
  return located;
}

/** What the endpoint sends: its headers, and its body as JSON (objects) or text (strings), with a content type unless configured. */
function requestPlan({ endpoint, url, redactedUrl, body }: Exclude<Located, { error: RunnerError }>): HttpRequestPlan {
  const headers: Record<string, string> = { ...endpoint.headers };
  const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  let payload: string | undefined;
  if (typeof body === 'string') {
    if (!hasContentType) headers['content-type'] = 'text/plain; charset=utf-8';
    payload = body;
  } else if (body !== undefined && body !== null) {
    if (!hasContentType) headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  return { target: endpoint.name, method: endpoint.method, url, redactedUrl, headers: () => ({ ...headers }), body: payload };
}

/** A run that sent nothing: the endpoint or its URL could not be built. */
function notSent(error: RunnerError, startedAt: number): PipelineOutcome {
  const totalMs = performance.now() - startedAt;
  return { error, attempts: [], timing: { queuedMs: 0, rateLimitWaitMs: 0, backoffMs: 0, totalMs } };
}

function endpointResult(integration: RequestResponseIntegration, endpointName: string, located: Located, policies: IntegrationPolicies, outcome: PipelineOutcome): EndpointResult {
  const { response, error, attempts, timing } = outcome;
  const result: EndpointResult = {
    integration: integration.name,
    endpoint: endpointName,
    method: located.endpoint?.method ?? 'GET',
    url: 'url' in located ? located.redactedUrl : undefined,
    ok: !error && response !== undefined && response.status < 400,
    status: response?.status ?? attempts.at(-1)?.status,
    error,
    attempts,
    durationMs: timing.totalMs,
    timing,
    breaker: policies.breaker.state,
  };
  if (response) result.response = { headers: response.headers, body: response.body, bytes: response.bytes, truncated: response.truncated };
  if (outcome.traceId) result.traceId = outcome.traceId;
  return result;
}

/**
 * Calls one endpoint through the integration's policies (attemptPipeline.ts):
 * locate it, plan its request, run the attempts, report. Never throws for
 * remote or config failures, nor for a cancel: they are in the result.
 */
export async function runEndpoint(integration: RequestResponseIntegration, endpointName: string, options: RunEndpointOptions = {}): Promise<EndpointResult> {
  const startedAt = performance.now();
  const policies = (options.registry ?? new ResilienceRegistry()).policiesFor(integration);
  const secrets = integrationSecrets(integration);
  const located = locateEndpoint(integration, endpointName, options, secrets);
  const outcome = 'error' in located ? notSent(located.error, startedAt) : await runAttempts(integration, policies, requestPlan(located), secrets, options);
  return endpointResult(integration, endpointName, located, policies, outcome);
}
