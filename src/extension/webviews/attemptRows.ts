import { count, errorMessage, list, ms, record } from './plainData';
import { cell, table, type Cell, type TableSection } from './resultModel';

/**
 * Every attempt a run made (HTTP endpoint, webhook delivery): its status, how long it took, the backoff before it,
 * why it failed. First byte per attempt only where the result has it (the endpoint JSON keeps it in its timing).
 */
export function attemptsTable(attempts: unknown): TableSection {
  const records = list(attempts).map((value) => record(value) ?? {});
  const firstByte = records.some((attempt) => count(attempt.firstByteMs) !== undefined);
  const rows = records.map((attempt, index) => {
    const status = count(attempt.status);
    const error = errorMessage(attempt.error);
    const ok = error === undefined && status !== undefined && status < 400;
    const cells: Cell[] = [cell(index + 1), cell(status ?? 'no answer', ok ? 'ok' : 'error', ok ? 'pass' : 'error'), cell(ms(attempt.durationMs)), cell(ms(attempt.delayMs))];
    if (firstByte) cells.push(cell(ms(attempt.firstByteMs)));
    return [...cells, cell(error ?? '', error ? 'error' : undefined)];
  });
  const columns = ['#', 'Status', 'Duration', 'Delay before', ...(firstByte ? ['First byte'] : []), 'Error'];
  // Narrow number columns: the error, often a sentence, gets the rest.
  const widths = ['40px', '100px', '90px', '110px', ...(firstByte ? ['90px'] : [])];
  return table('Attempts', columns, rows, 'No request was sent (a local policy refused the call).', widths);
}
