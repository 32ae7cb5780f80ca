import { randomUUID } from 'node:crypto';
import { handleWhen, retry } from 'cockatiel';
import { request } from 'undici';
import { describeDuration } from '../../core/duration';
import type { WebhookIntegration } from '../../core/model';
import { classifyError, ClassifiedError, classifyStatus, integrationSecrets, redact, runnerError, type RunnerError } from '../errors';
import { AttemptFailure, isRetryableFailure, isRetryableStatus } from '../http/attemptFailure';
import type { AttemptRecord } from '../http/endpointResult';
import { parseRetryAfter } from '../http/retryAfter';
import { RetryBackoff } from '../http/retryBackoff';
import { sharedAgent } from '../http/sharedAgent';
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
}

export interface SendOptions {
  signal?: AbortSignal;
  /** Event id; a fresh one when absent. */
  id?: string;
}

/**
 * Signs and POSTs `{id, type, timestamp, data}` to one outgoing endpoint, retrying connection errors, timeouts,
 * 408/425/429 and 5xx with the integration's backoff (a `Retry-After` wins). Each attempt is signed afresh, so
 * timestamped schemes carry the attempt's time; an endpoint without a secret is refused unless `signature: none`.
 */
export async function sendWebhook(integration: WebhookIntegration, endpointName: string, type: string, data: unknown, options: SendOptions = {}): Promise<WebhookDelivery> {
  const secrets = integrationSecrets(integration);
  const event: WebhookEvent = { id: options.id ?? `msg_${randomUUID().replaceAll('-', '')}`, type, timestamp: new Date().toISOString(), data };
  const endpoint = integration.endpoints.find((candidate) => candidate.name === endpointName);
  const delivery: WebhookDelivery = { integration: integration.name, endpoint: endpointName, url: endpoint?.url && redact(endpoint.url, secrets), event, ok: false, attempts: [] };
  const fail = (error: ClassifiedError) => ({ ...delivery, error: classifyError(error, secrets) });
  if (!endpoint) return fail(new ClassifiedError('config', `${integration.name} has no endpoint named ${endpointName}`));
  if (!endpoint.url) return fail(new ClassifiedError('config', `endpoint ${endpointName} has no url to send to`));
  if (endpoint.signature !== 'none' && !endpoint.secret) return fail(new ClassifiedError('config', `endpoint ${endpointName} has no secret; unsigned webhooks are sent only with signature: none`));

  const url = endpoint.url;
  const body = JSON.stringify(event);
  const scheme = SIGNATURE_SCHEMES[endpoint.signature];
  try {
    scheme.sign(body, endpoint.secret ?? '', { id: event.id }); // a secret the scheme refuses is a config error, not worth a retry
  } catch (error) {
    return fail(new ClassifiedError('config', `endpoint ${endpointName}: ${classifyError(error, secrets).message}`));
  }
  const policy = retry(handleWhen(isRetryableFailure), { maxAttempts: Math.max(0, integration.retry.maxAttempts - 1), backoff: new RetryBackoff(integration.retry) });
  let delayMs = 0;
  policy.onRetry(({ delay }) => (delayMs = delay));

  const attempt = async (): Promise<number> => {
    const started = performance.now();
    const record: AttemptRecord = { durationMs: 0, delayMs };
    delivery.attempts.push(record);
    const signal = AbortSignal.any([AbortSignal.timeout(integration.timeoutMs), ...(options.signal ? [options.signal] : [])]);
    try {
      const headers = { 'content-type': 'application/json', 'user-agent': 'simone-integrations', 'x-simone-event': type, ...scheme.sign(body, endpoint.secret ?? '', { id: event.id }) };
      const response = await request(url, { method: 'POST', headers, body, signal, dispatcher: sharedAgent() });
      await response.body.dump();
      record.status = response.statusCode;
      record.durationMs = performance.now() - started;
      if (response.statusCode < 300) return response.statusCode;
      record.error = runnerError(classifyStatus(response.statusCode) ?? 'remote-4xx', `answered ${response.statusCode}`, String(response.statusCode));
      throw new AttemptFailure(record.error, isRetryableStatus(response.statusCode), undefined, parseRetryAfter(response.headers['retry-after']));
    } catch (error) {
      if (error instanceof AttemptFailure) throw error;
      record.durationMs = performance.now() - started;
      const cancelled = options.signal?.aborted === true;
      if (cancelled) record.error = runnerError('transient', 'cancelled', 'cancelled');
      else if (signal.aborted) record.error = runnerError('timeout', `no answer within ${describeDuration(integration.timeoutMs)}`, 'timeout');
      else record.error = classifyError(error, secrets);
      // A timeout or a connection failure of this attempt is worth retrying; the caller's cancellation or a config error is not.
      throw new AttemptFailure(record.error, !cancelled && (record.error.kind === 'transient' || record.error.kind === 'timeout'));
    }
  };

  try {
    const status = await policy.execute(attempt, options.signal);
    return { ...delivery, ok: true, status };
  } catch (error) {
    const last = delivery.attempts.at(-1);
    return { ...delivery, status: last?.status, error: last?.error ?? classifyError(error, secrets) };
  }
}
