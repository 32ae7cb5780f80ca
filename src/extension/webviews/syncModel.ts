import { count, errorMessage, list, ms, record, text, type Plain } from './plainData';
import { cell, passed, table, type Cell, type ResultModel, type Section } from './resultModel';

function value(raw: unknown): string {
  return raw === null || raw === undefined ? 'NULL' : typeof raw === 'string' ? raw : JSON.stringify(raw);
}

/** The preview samples of one table: rows it would insert, the columns it would change (from → to), the keys it would delete. */
function sampleSections(name: string, samples: Plain): Section[] {
  const sections: Section[] = [];
  const inserted = list(samples.inserted).map((row) => record(row) ?? {});
  if (inserted.length) {
    const columns = [...new Set(inserted.flatMap((row) => Object.keys(row)))];
    sections.push(table(`${name}: rows to insert`, columns, inserted.map((row) => columns.map((column) => cell(value(row[column]), 'ok')))));
  }
  const updated = list(samples.updated).map((row) => record(row) ?? {});
  if (updated.length) {
    const rows = updated.flatMap((row) => Object.entries(record(row.changed) ?? {}).map(([column, change]) => [cell(text(row.key)), cell(column), cell(value(record(change)?.from), 'muted'), cell(value(record(change)?.to), 'warning')]));
    sections.push(table(`${name}: rows to update`, ['Key', 'Column', 'From', 'To'], rows));
  }
  const deleted = list(samples.deleted);
  if (deleted.length) sections.push(table(`${name}: rows to delete`, ['Key'], deleted.map((key) => [cell(value(key), 'error')])));
  return sections;
}

/** A sync (dry run or real): counts per table, then the dry run's samples; a dry run offers Apply. */
export function syncModel(title: string, data: unknown): ResultModel {
  const result = record(data) ?? {};
  const dryRun = result.dryRun === true;
  const tables = list(result.tables).map((entry) => record(entry) ?? {});
  const failed = tables.filter((entry) => entry.error !== undefined || entry.ok === false);
  const rows: Cell[][] = tables.map((entry) => {
    const error = errorMessage(entry.error);
    const name = `${text(entry.source) ?? '?'} → ${text(entry.target) ?? '?'}`;
    if (error !== undefined) return [cell(name), passed(false, 'failed'), cell(''), cell(''), cell(''), cell(''), cell(''), cell(error, 'error')];
    return [cell(name), passed(true, dryRun ? 'would write' : 'synced'), cell(count(entry.inserted)), cell(count(entry.updated)), cell(count(entry.deleted)), cell(count(entry.unchanged)), cell(ms(entry.durationMs)), cell(list(entry.warnings).map(value).join('; '), 'warning')];
  });
  // The names and the notes (errors) get the room; the counts are short.
  const widths = ['26%', '12%', '8%', '8%', '8%', '8%', '8%'];
  const sections: Section[] = [table('Tables', ['Source → target', 'Outcome', 'Inserted', 'Updated', 'Deleted', 'Unchanged', 'Duration', 'Notes'], rows, 'The integration syncs no table.', widths)];
  for (const entry of tables) {
    const samples = record(entry.samples);
    if (samples) sections.push(...sampleSections(`${text(entry.source) ?? '?'} → ${text(entry.target) ?? '?'}`, samples));
  }
  const changes = tables.reduce((sum, entry) => sum + (count(entry.inserted) ?? 0) + (count(entry.updated) ?? 0) + (count(entry.deleted) ?? 0), 0);
  const summary = failed.length ? `${failed.length} of ${tables.length} tables failed` : dryRun ? `preview: ${changes} row change${changes === 1 ? '' : 's'}` : `${tables.length} table${tables.length === 1 ? '' : 's'} synced`;
  const facts = [{ label: 'Run', value: dryRun ? 'dry run (nothing written)' : 'applied' }];
  // Also when a table failed its dry run: one fed by an earlier entry fails until a real run fills its source, and
  // Apply is Run Sync, which lists what it would write and asks first.
  const canApply = dryRun && tables.length > 0;
  return { title, headline: passed(failed.length === 0, summary), facts, sections, actions: canApply ? ['apply', 'rerun'] : ['rerun'] };
}
