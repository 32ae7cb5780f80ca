import type { DemoContext } from './demoContext';

interface SyncedTable {
  source: string;
  target: string;
  inserted?: number;
  updated?: number;
  deleted?: number;
  unchanged?: number;
  error?: string;
}

/**
 * `sync project_analytics`: a dry run, the real run, then the same run again,
 * which must change nothing in the incremental tables (a `mode: full` table is
 * rewritten on every run by design, and said so). The dry run previews the
 * tables read from the Simone project: a table-to-table entry reads a target
 * the real run writes first, which a dry run on a fresh database cannot.
 */
export async function syncStep({ transcript, cli, workspaceArg, plan }: DemoContext): Promise<void> {
  const integration = plan.integrations.analytics;
  const base = ['sync', integration.name, '--workspace', workspaceArg];
  transcript.section(`Sync the Simone project into PGlite (${integration.name})`);

  const fromProject = integration.syncTables.filter((entry) => !entry.source.includes('.')).map((entry) => entry.source);
  await transcript.step('sync preview', async () => {
    const run = await cli.run([...base, '--dry-run', ...fromProject.flatMap((source) => ['--table', source])]);
    return { outcome: run.code === 0 ? 'ok' : 'failed', detail: run.code === 0 ? `dry run of ${fromProject.join(', ')}: nothing written` : 'the dry run failed (see above)' };
  });

  await transcript.step('sync', async () => {
    const run = await cli.run(base);
    return { outcome: run.code === 0 ? 'ok' : 'failed', detail: run.code === 0 ? `${integration.syncTables.length} tables synced` : 'a table failed (see above)' };
  });

  await transcript.step('sync again', async () => {
    const run = await cli.run([...base, '--format', 'json'], { quiet: true });
    if (run.code !== 0) return { outcome: 'failed', detail: 'the second run failed (see above)' };
    const tables = (JSON.parse(run.stdout) as { tables: SyncedTable[] }).tables;
    const changed: string[] = [];
    for (const table of tables) {
      const changes = (table.inserted ?? 0) + (table.updated ?? 0) + (table.deleted ?? 0);
      const full = integration.syncTables.find((entry) => entry.source === table.source)?.mode === 'full';
      if (full) transcript.output(`${table.source} -> ${table.target}: mode full, rewritten as configured (${table.inserted} rows)`);
      else transcript.output(`${table.source} -> ${table.target}: ${changes === 0 ? `no changes (${table.unchanged} unchanged)` : `${changes} changes`}`);
      if (!full && changes) changed.push(table.target);
    }
    const incremental = tables.filter((table) => integration.syncTables.find((entry) => entry.source === table.source)?.mode !== 'full').length;
    if (changed.length) return { outcome: 'failed', detail: `not idempotent: ${changed.join(', ')} changed again` };
    return { outcome: 'ok', detail: `zero changes in ${incremental} incremental tables (idempotent)` };
  });
}
