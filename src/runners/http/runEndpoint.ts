import { STATUS_CODES } from 'node:http';
import { BrokenCircuitError, BulkheadRejectedError, handleWhen, IsolatedCircuitError, retry, TaskCancelledError, type IRetryContext } from 'cockatiel';
import { request, type Dispatcher } from 'undici';
import type { EndpointSettings, RequestResponseIntegration } from '../../core/model';
import { classifyError, classifyStatus, ClassifiedError, integrationSecrets, redact, runnerError, type RunnerError } from '../errors';
import { startHttpRequest } from '../telemetry/httpClientTelemetry';
import { AttemptFailure, isRetryableFailure, isRetryableStatus } from './attemptFailure';
import type { AttemptRecord, EndpointResult, EndpointTiming } from './endpointResult';
import { fillBody } from './endpointBody';
import { endpointUrl } from './endpointUrl';
import type { RequestAuthorizer } from './requestAuthorizer';
import { resilienceRegistry, type ResilienceRegistry } from './resilienceRegistry';
import { captureResponse, type CapturedResponse } from './responseCapture';
import { parseRetryAfter } from './retryAfter';
import { RetryBackoff } from './retryBackoff';
import { sharedAgent } from './sharedAgent';

export interface RunEndpointOptions {
  /** Values for the `{param}` placeholders of the endpoint's URL and body; unused ones become query parameters. */
  params?: Readonly<Record<string, string>>;
  /** Replaces the endpoint's configured body; objects are sent as JSON, strings as text. */
  body?: unknown;
  signal?: AbortSignal;
  auth?: RequestAuthorizer;
  /** Defaults to the process-wide registry (one breaker per integration). */
  registry?: ResilienceRegistry;
  /** Defaults to the shared undici Agent. */
  dispatcher?: Dispatcher;
}

/** cockatiel's own rejections, said in the user's terms. */
function policyRejection(error: unknown, integration: RequestResponseIntegration, secrets: readonly string[]): RunnerError {
  if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
    return runnerError('transient', `circuit open for "${integration.name}": not calling for up to ${integration.circuitBreaker.openMs} ms after ${integration.circuitBreaker.failureThreshold} consecutive failures`, 'circuit_open');
  }
  if (error instanceof BulkheadRejectedError) {
    return runnerError('transient', `bulkhead full for "${integration.name}": ${integration.bulkhead.maxConcurrent} calls running and ${integration.bulkhead.maxQueue} queued`, 'bulkhead_full');
  }
  if (error instanceof TaskCancelledError) return runnerError('transient', 'cancelled', 'cancelled');
  return classifyError(error, secrets);
}

function requestBody(body: unknown, headers: Record<string, string>): string | undefined {
  if (body === undefined || body === null) return undefined;
  const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  if (typeof body === 'string') {
    if (!hasContentType) headers['content-type'] = 'text/plain; charset=utf-8';
    return body;
  }
  if (!hasContentType) headers['content-type'] = 'application/json';
  return JSON.stringify(body);
}

type Located = { endpoint?: EndpointSettings; error: RunnerError } | { endpoint: EndpointSettings; url: URL; redactedUrl: string; body: unknown };

// Without parameters or a given body an endpoint always sends the same request: build it once per model.
const locatedAsConfigured = new WeakMap<RequestResponseIntegration, Map<string, Located>>();

/** The endpoint, the URL it calls and the body it sends (placeholders filled), or why there is none. */
function locate(integration: RequestResponseIntegration, endpointName: string, options: RunEndpointOptions, secrets: readonly string[]): Located {
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

/**
 * Calls one endpoint through the integration's policies: bulkhead, then
 * retry with backoff around each attempt, each attempt taking a rate-limit
 * token, passing the circuit breaker and running under the per-attempt
 * timeout. Never throws for remote or config failures: they are in the result.
 */
export async function runEndpoint(integration: RequestResponseIntegration, endpointName: string, options: RunEndpointOptions = {}): Promise<EndpointResult> {
  const startedAt = performance.now();
  const policies = (options.registry ?? resilienceRegistry).policiesFor(integration);
  const secrets = integrationSecrets(integration);
  const target = locate(integration, endpointName, options, secrets);
  const attempts: AttemptRecord[] = [];
  const timing: Omit<EndpointTiming, 'totalMs'> = { queuedMs: 0, rateLimitWaitMs: 0, backoffMs: 0 };

  const finish = (response: CapturedResponse | undefined, error: RunnerError | undefined): EndpointResult => {
    const totalMs = performance.now() - startedAt;
    const result: EndpointResult = {
      integration: integration.name,
      endpoint: endpointName,
      method: target.endpoint?.method ?? 'GET',
      url: 'url' in target ? target.redactedUrl : undefined,
      ok: !error && response !== undefined && response.status < 400,
      status: response?.status ?? attempts.at(-1)?.status,
      error,
      attempts,
      durationMs: totalMs,
      timing: { ...timing, firstByteMs: attempts.at(-1)?.firstByteMs, totalMs },
      breaker: policies.breaker.state,
    };
    if (response) result.response = { headers: response.headers, body: response.body, bytes: response.bytes, truncated: response.truncated };
    return result;
  };

  if ('error' in target) return finish(undefined, target.error);
  const { endpoint, url, redactedUrl, body } = target;
  const baseHeaders: Record<string, string> = { ...endpoint.headers };
  const payload = requestBody(body, baseHeaders);
  const dispatcher = options.dispatcher ?? sharedAgent();
  const serverPort = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  let pendingDelay = 0;
  /** The headers of the latest send, so a 401 invalidates exactly the credential that was refused. */
  let lastSentHeaders: Record<string, string> = baseHeaders;

  /** Sends the request once and reads the whole answer; a failure is recorded and thrown as an AttemptFailure. */
  const sendOnce = async (signal: AbortSignal): Promise<CapturedResponse> => {
    const headers = { ...baseHeaders };
    lastSentHeaders = headers;
    if (options.auth) {
      try {
        await options.auth.authorize(headers, signal);
      } catch (error) {
        throw error instanceof ClassifiedError ? error : new ClassifiedError('auth', `cannot authorize: ${classifyError(error, secrets).message}`);
      }
    }
    const record: AttemptRecord = { durationMs: 0, delayMs: pendingDelay };
    pendingDelay = 0;
    const recording = startHttpRequest({ method: endpoint.method, urlFull: redactedUrl, serverAddress: url.hostname, serverPort, resendCount: attempts.length, integration: integration.name, endpoint: endpoint.name });
    recording.inject(headers);
    attempts.push(record);
    const sentAt = performance.now();
    try {
      const response = await request(url, { method: endpoint.method, headers, body: payload, signal, dispatcher });
      record.firstByteMs = performance.now() - sentAt;
      const captured = await captureResponse(response, secrets);
      record.durationMs = performance.now() - sentAt;
      record.status = captured.status;
      const kind = classifyStatus(captured.status);
      if (kind) record.error = runnerError(kind, `${captured.status} ${STATUS_CODES[captured.status] ?? 'response'}`, String(captured.status));
      recording.end({ status: captured.status, errorType: kind && String(captured.status), errorMessage: record.error?.message });
      return captured;
    } catch (error) {
      record.durationMs = performance.now() - sentAt;
      const cancelled = options.signal?.aborted === true;
      const failure = signal.aborted && !cancelled ? runnerError('timeout', `no response within ${integration.timeoutMs} ms`, 'timeout') : classifyError(error, secrets);
      record.error = failure;
      recording.end({ errorType: failure.code ?? failure.kind, errorMessage: failure.message });
      throw new AttemptFailure(failure, !cancelled && (failure.kind === 'transient' || failure.kind === 'timeout'));
    }
  };

  const attempt = async ({ signal }: IRetryContext): Promise<CapturedResponse> => {
    if (policies.rateLimiter) timing.rateLimitWaitMs += await policies.rateLimiter.take(integration.timeoutMs, signal);
    return policies.breaker.execute(
      () =>
        policies.timeout.execute(async ({ signal: attemptSignal }) => {
          let response = await sendOnce(attemptSignal);
          if (response.status === 401 && options.auth) {
            // A cached credential the server no longer takes: fetch a fresh one and send once more.
            options.auth.invalidate(lastSentHeaders);
            response = await sendOnce(attemptSignal);
          }
          if (isRetryableStatus(response.status)) {
            throw new AttemptFailure(attempts.at(-1)!.error!, true, response, parseRetryAfter(response.headers['retry-after']));
          }
          return response;
        }, options.signal),
      signal,
    );
  };

  const retryPolicy = retry(handleWhen(isRetryableFailure), { maxAttempts: Math.max(0, integration.retry.maxAttempts - 1), backoff: new RetryBackoff(integration.retry) });
  const onRetry = retryPolicy.onRetry(({ delay }) => {
    pendingDelay = delay;
    timing.backoffMs += delay;
  });
  const enqueuedAt = performance.now();
  try {
    const response = await policies.bulkhead.execute(() => {
      timing.queuedMs = performance.now() - enqueuedAt;
      return retryPolicy.execute(attempt, options.signal);
    }, options.signal);
    return finish(response, response.status >= 400 ? attempts.at(-1)?.error : undefined);
  } catch (error) {
    if (error instanceof AttemptFailure) return finish(error.response, error.failure);
    return finish(undefined, policyRejection(error, integration, secrets));
  } finally {
    onRetry.dispose();
  }
}
