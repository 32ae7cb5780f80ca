import type { EventDrivenIntegration, Integration, PublisherSettings, RequestResponseIntegration } from '../../core/model';
import { integrationSecrets, redact, type RunnerError } from '../errors';
import { undelivered } from '../http/deliveryStatus';
import type { AttemptRecord } from '../http/endpointResult';
import type { RequestAuthorizer } from '../http/requestAuthorizer';
import type { ResilienceRegistry } from '../http/resilienceRegistry';
import { runEndpoint } from '../http/runEndpoint';
import type { QueueConnectionPool } from '../queue/queueConnectionPool';
import { publishMessage } from '../queue/queueOperations';
import type { RunOptions } from '../runEvents';
import { CLOUDEVENTS_JSON, createCloudEvent, type CloudEvent } from './cloudEvent';
import { resolveDestination } from './eventDestination';

export interface PublishEventOptions extends RunOptions {
  /** The workspace's name, for the events' `source`. */
  workspace: string;
  /** Every integration of the workspace: where queue destinations are found. */
  integrations: readonly Integration[];
  /** Live broker connections, shared with the rest of the process. */
  queues: QueueConnectionPool;
  /** Credentials for URL destinations (the integration's `auth`): EngineServices.authorizers. */
  auth?: RequestAuthorizer;
  /** The policies of URL deliveries across calls (EngineServices.resilience); without one the call's policies are its own. */
  registry?: ResilienceRegistry;
}

interface DeliveryBase {
  publisher: string;
  /** As configured, with credentials masked. */
  destination: string;
  ok: boolean;
  error?: RunnerError;
  durationMs: number;
}

export type EventDelivery =
  | (DeliveryBase & { kind: 'queue'; integration: string; queue: string })
  | (DeliveryBase & { kind: 'url'; status?: number; attempts: AttemptRecord[] })
  | (DeliveryBase & { kind: 'unresolved' });

export interface PublishEventResult {
  /** Every delivery succeeded (so also when there was nothing to deliver). */
  ok: boolean;
  /** The one event every destination received (same id: receivers can drop duplicates). */
  event: CloudEvent;
  /** One per publisher whose `events` include the event; none when the integration is disabled. */
  deliveries: EventDelivery[];
}

/**
 * Sends `eventName` as a CloudEvent to every publisher of the integration that
 * lists it: to a queue through the queue runner (persistent, confirmed), or
 * POSTed to a URL in structured mode through the HTTP runner (its retry,
 * breaker and timeout). Never throws for delivery failures: they are in the result.
 */
export async function publishEvent(integration: EventDrivenIntegration, eventName: string, data: unknown, options: PublishEventOptions): Promise<PublishEventResult> {
  const event = createCloudEvent({ eventName, workspace: options.workspace, integration: integration.name, data });
  if (!integration.enabled) return { ok: true, event, deliveries: [] };
  const publishers = integration.publishers.filter((publisher) => publisher.events.includes(eventName));
  const deliveries = await Promise.all(publishers.map((publisher) => deliverToPublisher(integration, publisher, event, options)));
  return { ok: deliveries.every((delivery) => delivery.ok), event, deliveries };
}

/** One publisher's delivery of an event already made (the event store sends its own events, with their ids). */
export async function deliverToPublisher(integration: EventDrivenIntegration, publisher: PublisherSettings, event: CloudEvent, options: PublishEventOptions): Promise<EventDelivery> {
  const start = performance.now();
  const secrets = integrationSecrets(integration);
  const base = { publisher: publisher.name, destination: redact(publisher.destination, secrets) };
  const destination = resolveDestination(publisher.destination, options.integrations);
  const body = JSON.stringify(event);

  if (destination.kind === 'unresolved') return { ...base, kind: 'unresolved', ok: false, error: { ...destination.error, message: redact(destination.error.message, secrets) }, durationMs: 0 };

  if (destination.kind === 'queue') {
    const published = await publishMessage(options.queues.get(destination.integration), destination.queue, Buffer.from(body), { contentType: CLOUDEVENTS_JSON, messageId: event.id, timeoutMs: integration.timeoutMs, signal: options.signal });
    const delivery: EventDelivery = { ...base, kind: 'queue', integration: destination.integration.name, queue: destination.queue, ok: published.ok, durationMs: performance.now() - start };
    if (!published.ok) delivery.error = published.error;
    return delivery;
  }

  // The event integration's own policies (timeout, retry, breaker) apply, as for any endpoint it would call.
  const asEndpoint: RequestResponseIntegration = {
    ...integration,
    type: 'request_response',
    endpoints: [{ name: publisher.name, url: destination.url, method: 'POST', headers: { 'content-type': CLOUDEVENTS_JSON } }],
  };
  const result = await runEndpoint(asEndpoint, publisher.name, { body, signal: options.signal, onEvent: options.onEvent, auth: options.auth, registry: options.registry });
  const error = result.error ?? (result.status === undefined ? undefined : undelivered(result.status));
  return { ...base, kind: 'url', ok: !error && result.status !== undefined, status: result.status, attempts: result.attempts, error, durationMs: result.durationMs };
}
