import { syncIntegration, type SyncIntegrationResult } from '../../runners/sync/runSync';
import { syncResultJson } from '../../runners/sync/syncResultJson';
import { findIntegration } from '../findIntegration';
import { loadWorkspace } from '../loadWorkspace';
import { formatOption, parseCommandArgs, UsageError, type Command } from '../usage';

function textReport(result: SyncIntegrationResult): string {
  const lines = [`${result.integration}${result.dryRun ? ' (dry run: nothing written)' : ''}`];
  for (const table of result.tables) {
    if (!table.ok) {
      lines.push(`  ${table.source} -> ${table.target}: FAILED, nothing written: ${table.error.message}`);
      continue;
    }
    const ignored = table.deletesIgnored ? `, ${table.deletesIgnored} gone from the source (kept: delete is ignore)` : '';
    lines.push(`  ${table.source} -> ${table.target}: ${table.inserted} inserted, ${table.updated} updated, ${table.deleted} deleted, ${table.unchanged} unchanged${ignored} (${table.rowsCompared} rows compared, ${table.durationMs} ms)`);
    for (const warning of table.warnings) lines.push(`    warning: ${warning}`);
    if (table.samples) {
      for (const row of table.samples.inserted) lines.push(`    + ${JSON.stringify(row)}`);
      for (const update of table.samples.updated) lines.push(`    ~ ${update.key}: ${Object.entries(update.changed).map(([column, { from, to }]) => `${column} ${JSON.stringify(from)} -> ${JSON.stringify(to)}`).join(', ')}`);
      for (const key of table.samples.deleted) lines.push(`    - ${key}`);
    }
  }
  return lines.join('\n');
}

/** `sync <integration> [--table SOURCE]... [--dry-run] [--format text|json] [--workspace DIR]`: exit 1 when a table failed (that table is left as it was). */
export const sync: Command = async (args, io) => {
  const { values, positionals } = parseCommandArgs(args, {
    table: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
    format: { type: 'string' },
    workspace: { type: 'string' },
  });
  const format = formatOption(values.format, ['text', 'json'], 'text');
  if (positionals.length !== 1) throw new UsageError('sync: give one integration name (sync <integration> [--table SOURCE] [--dry-run])');
  const workspace = loadWorkspace(io, { workspace: values.workspace });
  const integration = findIntegration(workspace, positionals[0], 'database');
  const unknown = (values.table ?? []).filter((source) => !integration.syncTables.some((entry) => entry.source === source));
  if (unknown.length) throw new UsageError(`sync: "${integration.name}" has no sync_tables entry with source ${unknown.map((source) => `"${source}"`).join(', ')} (sources: ${integration.syncTables.map((entry) => entry.source).join(', ')})`);

  const result = await syncIntegration(integration, {
    dryRun: values['dry-run'] ?? false,
    signal: io.signal,
    sources: values.table,
    projectFolder: workspace.folderOf(integration.source.uri),
  });
  io.stdout(`${format === 'json' ? JSON.stringify(syncResultJson(result), null, 2) : textReport(result)}\n`);
  return result.ok ? 0 : 1;
};
