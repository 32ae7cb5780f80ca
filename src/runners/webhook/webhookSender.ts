import { randomUUID } from 'node:crypto';
import type { WebhookEndpointSettings, WebhookIntegration } from '../../core/model';
import { UNPARSEABLE_URL } from '../../core/redactor';
import { classifyError, integrationSecrets, redact, runnerError, type RunnerError } from '../errors';
import { runAttempts, type HttpRequestPlan, type PipelineOptions } from '../http/attemptPipeline';
import { undelivered } from '../http/deliveryStatus';
import type { AttemptRecord } from '../http/endpointResult';
import type { BreakerState } from '../http/integrationBreaker';
import { ResilienceRegistry } from '../http/resilienceRegistry';
import { SIGNATURE_SCHEMES } from './signatureSchemes';

/** What is POSTed: one JSON event. */
export interface WebhookEvent {
  /** Also the Standard Webhooks `webhook-id`, kept across retries so receivers can de-duplicate. */
  id: string;
  type: string;
  timestamp: string;
  data: unknown;
}

export interface WebhookDelivery {
  integration: string;
  endpoint: string;
  /** Redacted. */
  url?: string;
  event: WebhookEvent;
  /** The final attempt was answered 2xx. */
  ok: boolean;
  status?: number;
  error?: RunnerError;
  attempts: AttemptRecord[];
  durationMs: number;
  /** The integration's circuit after this delivery (one breaker per webhook integration, as for any other). */
  breaker: BreakerState;
  /** The trace of the delivery's spans, when telemetry records them. */
  traceId?: string;
}

/** `auth`, when the integration has one: a header the receiving service asks for besides the signature (the signature covers the body only). */
export interface SendOptions extends PipelineOptions {
  /** Event id; a fresh one when absent. */
  id?: string;
  /** Where the integration's policies live across calls (EngineServices.resilience); without one the call's policies are its own. */
  registry?: ResilienceRegistry;
}

/** The signed POST of `body` to the endpoint, or why it cannot be sent (nothing is sent then). */
function webhookRequest(integration: WebhookIntegration, endpointName: string, endpoint: WebhookEndpointSettings | undefined, event: WebhookEvent, secrets: readonly string[]): HttpRequestPlan | RunnerError {
  if (!endpoint) return runnerError('config', `${integration.name} has no endpoint named ${endpointName}`);
  if (!endpoint.url) return runnerError('config', `endpoint ${endpointName} has no url to send to`);
  if (endpoint.signature !== 'none' && !endpoint.secret) return runnerError('config', `endpoint ${endpointName} has no secret; unsigned webhooks are sent only with signature: none`);
  let url: URL;
  try {
    url = new URL(endpoint.url);
  } catch {
    return runnerError('config', `endpoint ${endpointName}: its url ${UNPARSEABLE_URL}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return runnerError('config', `endpoint ${endpointName}: only http and https URLs can be called, not ${url.protocol}`);
  const body = JSON.stringify(event);
  const scheme = SIGNATURE_SCHEMES[endpoint.signature];
  const secret = endpoint.secret ?? '';
  const sign = () => ({ 'content-type': 'application/json', 'user-agent': 'simone-integrations', 'x-simone-event': event.type, ...scheme.sign(body, secret, { id: event.id }) });
  try {
    sign(); // a secret the scheme refuses is a config error, not worth a retry
  } catch (error) {
    return runnerError('config', `endpoint ${endpointName}: ${classifyError(error, secrets).message}`);
  }
  return { target: endpoint.name, method: 'POST', url, redactedUrl: redact(url.href, secrets), headers: sign, body };
}

/**
 * Signs and POSTs `{id, type, timestamp, data}` to one outgoing endpoint through the integration's policies
 * (attemptPipeline.ts: bulkhead, retry of connection errors, timeouts, 408/425/429 and 5xx with the integration's
 * backoff, a `Retry-After` winning, rate limit, circuit breaker, per-attempt timeout). Each attempt is signed
 * afresh, so timestamped schemes carry the attempt's time; an endpoint without a secret is refused unless
 * `signature: none`. Only a 2xx answer is a delivery. Never throws for a failed delivery.
 */
export async function sendWebhook(integration: WebhookIntegration, endpointName: string, type: string, data: unknown, options: SendOptions = {}): Promise<WebhookDelivery> {
  const startedAt = performance.now();
  const policies = (options.registry ?? new ResilienceRegistry()).policiesFor(integration);
  const secrets = integrationSecrets(integration);
  const event: WebhookEvent = { id: options.id ?? `msg_${randomUUID().replaceAll('-', '')}`, type, timestamp: new Date().toISOString(), data };
  const endpoint = integration.endpoints.find((candidate) => candidate.name === endpointName);
  const delivery = { integration: integration.name, endpoint: endpointName, url: endpoint?.url && redact(endpoint.url, secrets), event };
  const plan = webhookRequest(integration, endpointName, endpoint, event, secrets);
  if (!('url' in plan)) return { ...delivery, ok: false, error: plan, attempts: [], durationMs: performance.now() - startedAt, breaker: policies.breaker.state };
  const outcome = await runAttempts(integration, policies, plan, secrets, options);
  const status = outcome.response?.status ?? outcome.attempts.at(-1)?.status;
  const error = outcome.error ?? (status === undefined ? undefined : undelivered(status));
  const result: WebhookDelivery = { ...delivery, ok: !error && status !== undefined, status, error, attempts: outcome.attempts, durationMs: outcome.timing.totalMs, breaker: policies.breaker.state };
  if (outcome.traceId) result.traceId = outcome.traceId;
  return result;
}
