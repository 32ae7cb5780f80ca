import { count, errorMessage, list, ms, record } from './plainData';
import { cell, table, type TableSection } from './resultModel';

/** Every attempt a run made (HTTP endpoint, webhook delivery): its status, how long it took, the backoff before it, why it failed. */
export function attemptsTable(attempts: unknown): TableSection {
  const rows = list(attempts).map((value, index) => {
    const attempt = record(value) ?? {};
    const status = count(attempt.status);
    const error = errorMessage(attempt.error);
    const ok = error === undefined && status !== undefined && status < 400;
    return [cell(index + 1), cell(status ?? 'no answer', ok ? 'ok' : 'error', ok ? 'pass' : 'error'), cell(ms(attempt.durationMs)), cell(ms(attempt.delayMs)), cell(attempt.firstByteMs === undefined ? '—' : ms(attempt.firstByteMs)), cell(error ?? '', error ? 'error' : undefined)];
  });
  return table('Attempts', ['#', 'Status', 'Duration', 'Delay before', 'First byte', 'Error'], rows, 'No request was sent (a local policy refused the call).');
}
