/**
 * One line per run result, for the log, notifications and test messages. Results come from the engine already
 * redacted; nothing here reads the config. No `vscode` here.
 */
import type { ServiceCallResult } from '../runners/discovery/callService';
import type { EndpointResult } from '../runners/http/endpointResult';
import type { SyncTableJson } from '../runners/sync/syncResultJson';
import type { WebhookDelivery } from '../runners/webhook/webhookSender';
import { formatLatency } from './tree/healthPresentation';

const attempts = (count: number) => `${count} attempt${count === 1 ? '' : 's'}`;

/** "200 after 2 attempts in 340 ms", or why it failed. */
export function describeEndpointOutcome(result: Pick<EndpointResult, 'ok' | 'status' | 'error' | 'attempts' | 'durationMs'>): string {
  const answer = result.status !== undefined ? String(result.status) : 'no answer';
  const why = !result.ok && result.error ? `: ${result.error.message}` : '';
  return `${answer} after ${attempts(result.attempts.length)} in ${formatLatency(result.durationMs)}${why}`;
}

export function describeEndpointResult(result: EndpointResult): string {
  return `${result.integration}.${result.endpoint} ${result.method} ${result.url ?? '(no URL)'}: ${result.ok ? '' : 'FAILED '}${describeEndpointOutcome(result)}`;
}

/** "orders GET /health to n1/orders-1: 200 after 2 attempts in 12 ms (2 of 3 instances passing)". */
export function describeServiceCall(result: ServiceCallResult): string {
  const to = result.attempts.length ? ` to ${result.attempts.map((attempt) => attempt.instance ?? '?').join(' then ')}` : '';
  return `${result.service} ${result.method} ${result.path}${to}: ${result.ok ? '' : 'FAILED '}${describeEndpointOutcome(result)} (${result.instances.passing} of ${result.instances.listed} instances passing)`;
}

export function describeDelivery(delivery: WebhookDelivery): string {
  const outcome = delivery.ok ? `${delivery.status}` : `FAILED ${delivery.status ?? ''}${delivery.error ? `: ${delivery.error.message}` : ''}`.trim();
  return `webhook ${delivery.integration}.${delivery.endpoint} ${delivery.event.type} (${delivery.event.id}) to ${delivery.url ?? '(no URL)'}: ${outcome} after ${attempts(delivery.attempts.length)}`;
}

export function describeSyncTable(table: SyncTableJson, dryRun: boolean): string {
  if (!table.ok) return `${table.source} → ${table.target}: FAILED, nothing written: ${table.error}`;
  const verb = dryRun ? 'would be ' : '';
  return `${table.source} → ${table.target}: ${table.inserted} ${verb}inserted, ${table.updated} ${verb}updated, ${table.deleted} ${verb}deleted, ${table.unchanged} unchanged`;
}

/** Rows a sync writes (or would write): what makes a preview worth applying. */
export function syncChanges(tables: readonly SyncTableJson[]): number {
  return tables.reduce((sum, table) => sum + (table.ok ? table.inserted + table.updated + table.deleted : 0), 0);
}
