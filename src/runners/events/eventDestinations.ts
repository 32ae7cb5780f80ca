import type { Integration } from '../../core/model';
import type { EngineServices } from '../engineServices';
import { runnerError, type RunnerError } from '../errors';
import type { RunOptions } from '../runEvents';
import { sendWebhook } from '../webhook/webhookSender';
import { createCloudEvent } from './cloudEvent';
import { deliverToPublisher } from './publishEvent';
import { destinationId, parseDestinationId, type DestinationId, type StoredEvent } from './storedEvent';

/** Every destination configured for an event type: enabled event_driven publishers and webhook endpoints listing it, in workspace order. */
export function destinationsFor(type: string, integrations: readonly Integration[]): DestinationId[] {
  const destinations: DestinationId[] = [];
  for (const integration of integrations) {
    if (!integration.enabled) continue;
    if (integration.type === 'event_driven') {
      for (const publisher of integration.publishers) if (publisher.events.includes(type)) destinations.push(destinationId('event_driven', integration.name, publisher.name));
    } else if (integration.type === 'webhook') {
      for (const endpoint of integration.endpoints) if (endpoint.url && endpoint.events.includes(type)) destinations.push(destinationId('webhook', integration.name, endpoint.name));
    }
  }
  return destinations;
}

export interface DestinationContext extends RunOptions {
  /** Every integration of the workspace (queue destinations may be declared anywhere in it). */
  integrations: readonly Integration[];
  services: EngineServices;
  /** For the CloudEvents' `source`. */
  workspaceName: string;
}

export interface DestinationOutcome {
  ok: boolean;
  error?: RunnerError;
  /** Network attempts made (0 when nothing could be sent). */
  attempts: number;
  /** The HTTP status of the last attempt, for URL and webhook destinations. */
  status?: number;
  durationMs: number;
}

const notConfigured = (destination: string, why: string): DestinationOutcome => ({ ok: false, attempts: 0, durationMs: 0, error: runnerError('config', `${destination}: ${why}; it stays pending until it is configured again`) });

/**
 * Sends a stored event to one destination with the integration's policies (retry, breaker, timeout): a CloudEvent
 * whose `id` and `time` are the stored event's, or a signed webhook whose id is the event's. Never throws.
 */
export async function deliverToDestination(event: StoredEvent, destination: DestinationId, context: DestinationContext): Promise<DestinationOutcome> {
  const parts = parseDestinationId(destination);
  const integration = parts && context.integrations.find((candidate) => candidate.name === parts.integration);
  if (!parts || !integration) return notConfigured(destination, `no integration "${parts?.integration ?? destination}" in the workspace`);
  if (!integration.enabled) return notConfigured(destination, `"${integration.name}" is disabled`);
  const { services } = context;

  if (parts.kind === 'event_driven' && integration.type === 'event_driven') {
    const publisher = integration.publishers.find((candidate) => candidate.name === parts.target);
    if (!publisher) return notConfigured(destination, `"${integration.name}" has no publisher "${parts.target}"`);
    const cloudEvent = createCloudEvent({ eventName: event.type, workspace: context.workspaceName, integration: integration.name, data: event.data, id: event.id, time: new Date(event.time) });
    const delivery = await deliverToPublisher(integration, publisher, cloudEvent, {
      workspace: context.workspaceName, integrations: context.integrations, queues: services.queues, auth: services.authorizers.get(integration), registry: services.resilience, signal: context.signal, onEvent: context.onEvent,
    });
    const attempts = delivery.kind === 'url' ? delivery.attempts.length : delivery.kind === 'queue' ? 1 : 0;
    return { ok: delivery.ok, ...(delivery.error ? { error: delivery.error } : {}), attempts, ...(delivery.kind === 'url' && delivery.status !== undefined ? { status: delivery.status } : {}), durationMs: Math.round(delivery.durationMs) };
  }

  if (parts.kind === 'webhook' && integration.type === 'webhook') {
    if (!integration.endpoints.some((endpoint) => endpoint.name === parts.target)) return notConfigured(destination, `"${integration.name}" has no endpoint "${parts.target}"`);
    const delivery = await sendWebhook(integration, parts.target, event.type, event.data, { id: event.id, registry: services.resilience, signal: context.signal, onEvent: context.onEvent });
    return { ok: delivery.ok, ...(delivery.error ? { error: delivery.error } : {}), attempts: delivery.attempts.length, ...(delivery.status !== undefined ? { status: delivery.status } : {}), durationMs: Math.round(delivery.durationMs) };
  }
  return notConfigured(destination, `"${integration.name}" is a ${integration.type} integration now`);
}
