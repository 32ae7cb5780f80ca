/** The plain data `events` commands print with `--format json` (the editor can show the same). */
import type { DispatchedDelivery, DispatchResult } from './eventPipeline';
import type { StoredEvent } from './storedEvent';

export const eventSummaryJson = (event: StoredEvent) => ({ id: event.id, type: event.type, aggregate: event.aggregate, version: event.version, time: event.time });

export const eventsJson = (events: readonly StoredEvent[]) => ({ events: events.map(eventSummaryJson) });

export const dispatchedJson = (delivery: DispatchedDelivery) => ({
  id: delivery.eventId, type: delivery.type, aggregate: delivery.aggregate, version: delivery.version, destination: delivery.destination,
  state: delivery.state, attempts: delivery.attempts, ...(delivery.status !== undefined ? { status: delivery.status } : {}), ...(delivery.error ? { error: delivery.error } : {}), durationMs: delivery.durationMs,
});

export const dispatchJson = (result: DispatchResult) => ({ ok: result.ok, dryRun: result.dryRun, ...(result.error ? { error: result.error } : {}), deliveries: result.deliveries.map(dispatchedJson) });

/** `task_completed T01_S02 v2 -> webhook:team_notifications/ci_server: delivered (1 attempt, HTTP 200, 12 ms)`. */
export function dispatchedText(delivery: DispatchedDelivery, dryRun: boolean): string {
  const head = `${delivery.type} ${delivery.aggregate} v${delivery.version} -> ${delivery.destination}`;
  if (dryRun) return `${head}: would be sent`;
  const facts = [`${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'}`, delivery.status !== undefined && `HTTP ${delivery.status}`, `${delivery.durationMs} ms`].filter(Boolean).join(', ');
  return `${head}: ${delivery.state === 'delivered' ? 'delivered' : `FAILED, stays pending: ${delivery.error?.message ?? 'not delivered'}`} (${facts})`;
}
