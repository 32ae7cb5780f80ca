import { count, errorMessage, ms, record, text } from './plainData';
import { cell, passed, type Cell } from './resultModel';

export const LIVE_COLUMNS = ['Step', 'Attempt or table', 'Detail'];

/**
 * One row of the "In progress" table for a run event (src/runners/runEvents.ts) as it happens: attempts, backoffs
 * and rejections of an HTTP run, tables of a sync. Undefined for an event it does not know.
 */
export function liveEventRow(raw: unknown): Cell[] | undefined {
  const event = record(raw);
  const table = `${text(event?.source) ?? '?'} → ${text(event?.target) ?? '?'}`;
  switch (event?.type) {
    case 'attempt-started':
      return [cell('sending', undefined, 'arrow-right'), cell(count(event.attempt)), cell(`${text(event.method) ?? ''} ${text(event.url) ?? ''}`.trim())];
    case 'attempt-ended': {
      const error = errorMessage(event.error);
      const status = count(event.status);
      return [passed(error === undefined && status !== undefined && status < 400, status === undefined ? 'no answer' : String(status)), cell(count(event.attempt)), cell([ms(event.durationMs), error].filter(Boolean).join(' · '))];
    }
    case 'backoff':
      return [cell('backoff', 'warning', 'watch'), cell(count(event.attempt)), cell(`waiting ${ms(event.delayMs)}`)];
    case 'rejected':
      return [cell('refused', 'error', 'circle-slash'), cell(text(event.policy)), cell(errorMessage(event.error) ?? '')];
    case 'table-started':
      return [cell('table', undefined, 'table'), cell(table), cell('started')];
    case 'table-progress':
      return [cell('table', undefined, 'sync'), cell(table), cell(`${count(event.rowsRead) ?? 0} of ${count(event.total) ?? '?'} read, ${count(event.rowsWritten) ?? 0} written`)];
    case 'table-finished':
      return [passed(event.ok === true, event.ok === true ? 'done' : 'failed'), cell(table), cell(errorMessage(event.error) ?? '')];
    default:
      return undefined;
  }
}
