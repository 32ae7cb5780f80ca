import { join } from 'node:path';
import type { DatabaseIntegration, SyncTableSettings } from '../../core/model';
import type { WorkspaceFileSystem } from '../../core/fileSystem';
import { readSimoneProject } from '../../core/simone/readProject';
import { SIMONE_ENTITY_SETS, type SimoneEntitySet } from '../../core/simoneEntitySets';
import { ConnectionSet } from './connectionSet';
import { simoneSource } from './simoneSource';
import type { SqlConnection, SqlSession } from './sqlConnection';
import { StagedChanges } from './stagedChanges';
import { SyncError } from './syncError';
import { lockSync } from './syncLock';
import type { KeyHashSource, SourceRow, SyncSource } from './syncSource';
import { SyncState } from './syncState';
import { openTableSource } from './tableSource';
import { TargetTable } from './targetTable';

export interface SyncProgress {
  source: string;
  target: string;
  rowsRead: number;
  rowsWritten: number;
  /** Rows in the source (after `filter`). */
  total: number;
}

export interface UpdateSample {
  key: string;
  /** Target column to its value before and after, for the columns that change. */
  changed: Record<string, { from: string | null; to: string | null }>;
}

/** A few rows of each class, for a dry run. */
export interface SyncSamples {
  inserted: Array<Record<string, string | null>>;
  updated: UpdateSample[];
  deleted: string[];
}

export interface SyncTableResult {
  source: string;
  target: string;
  mode: 'incremental' | 'full';
  inserted: number;
  updated: number;
  /** Rows deleted from the target (with `delete: propagate`, or replaced away by `full`). */
  deleted: number;
  unchanged: number;
  /** Rows gone from the source but kept in the target (`delete: ignore`). */
  deletesIgnored: number;
  /**
   * Source rows whose hash was compared with the state: all of them, or (a table whose changes PostgreSQL tracks,
   * synced before) only those written since the last run; 0 when every row was written without comparing (a first
   * load, `mode: full`).
   */
  rowsCompared: number;
  durationMs: number;
  samples?: SyncSamples;
  /** Simone files that could not be read (they are left out of the sync). */
  warnings: string[];
}

export interface SyncOptions {
  /** Classify exactly as a real run would, and write nothing. */
  dryRun?: boolean;
  signal?: AbortSignal;
  progress?: { report(progress: SyncProgress): void };
  /** The workspace folder holding `.simone/` (for Simone entity sets, and their paths). */
  projectFolder: string;
  fileSystem?: WorkspaceFileSystem;
  /** How long to wait for another run of the same sync (default: the integration's timeout). */
  lockTimeoutMs?: number;
  /** Rows per cursor fetch and per write. */
  batchSize?: number;
  /** Sample rows per class in a dry run. */
  sampleSize?: number;
}

export interface SyncIntegrationResult {
  integration: string;
  dryRun: boolean;
  tables: Array<SyncTableResult | { source: string; target: string; error: SyncError }>;
}

/** A `<connection>.[<schema>.]<table>` source: its connection and the rest; undefined for any other name. */
function tableSourceName(source: string): { connection: string; table: string } | undefined {
  const [connection, ...rest] = source.split('.');
  return rest.length ? { connection, table: rest.join('.') } : undefined;
}

/** `schema.table` or `table` (in the connection's schema). */
function splitTable(name: string, defaultSchema: string): { schema: string; table: string } {
  const parts = name.split('.');
  return parts.length >= 2 ? { schema: parts[0], table: parts.slice(1).join('.') } : { schema: defaultSchema, table: name };
}

/** Where a sync writes, and the id its state and lock go by. */
export function syncTarget(integration: DatabaseIntegration, settings: SyncTableSettings, connectionSchema: string): { schema: string; table: string; syncId: string } {
  const { schema, table } = splitTable(settings.target, connectionSchema);
  return { schema, table, syncId: `${integration.name}:${settings.source}->${settings.connection}.${schema}.${table}` };
}

function throwIfCancelled(signal: AbortSignal | undefined, syncId: string): void {
  if (signal?.aborted) throw new SyncError('cancelled', `sync ${syncId} cancelled; nothing was written`);
}

/** Server memory for the join that classifies (about a million pairs without spilling to disk). */
const JOIN_MEMORY = '128MB';

const rowObject = (source: SyncSource, row: SourceRow) => Object.fromEntries(source.columns.map((column, index) => [column.target, row.values[index]]));

/**
 * Runs one `sync_tables` entry in one transaction on the target: the state table and the data commit together, so
 * a crash or cancel leaves the target as it was, and the next run does the whole job.
 */
export async function syncTable(integration: DatabaseIntegration, settings: SyncTableSettings, connections: ConnectionSet, options: SyncOptions): Promise<SyncTableResult> {
  const started = performance.now();
  const dryRun = options.dryRun ?? false;
  const batchSize = options.batchSize ?? 5000;
  const sampleSize = options.sampleSize ?? 3;
  const targetConnection = await connections.get(settings.connection);
  const target = syncTarget(integration, settings, targetConnection.schema);
  const syncId = target.syncId;
  const warnings: string[] = [];

  let openSource: (session: SqlSession) => Promise<SyncSource>;
  let sourceConnection: SqlConnection | undefined;
  if ((SIMONE_ENTITY_SETS as readonly string[]).includes(settings.source)) {
    const project = readSimoneProject(join(options.projectFolder, '.simone'), options.fileSystem);
    warnings.push(...project.problems.map((problem) => `${problem.file}:${problem.line}: ${problem.message}`));
    // A file left out for a problem would otherwise look deleted (propagate) or vanish from the rewrite (full).
    if (warnings.length && (settings.delete === 'propagate' || settings.mode === 'full')) {
      throw new SyncError('source', `${settings.source}: the Simone project has files that cannot be read, so a ${settings.mode === 'full' ? 'full rewrite' : 'delete'} could lose their rows:\n  ${warnings.join('\n  ')}`);
    }
    openSource = async () => simoneSource(project, settings.source as SimoneEntitySet, options.projectFolder, settings);
  } else {
    const name = tableSourceName(settings.source);
    if (!name) throw new SyncError('config', `source "${settings.source}" is neither ${SIMONE_ENTITY_SETS.join(', ')} nor <connection>.<table>`);
    sourceConnection = await connections.get(name.connection);
    const table = splitTable(name.table, sourceConnection.schema);
    openSource = (session) => openTableSource(session, table.schema, table.table, settings, settings.source);
  }

  const counts = { inserted: 0, updated: 0, deleted: 0, unchanged: 0, deletesIgnored: 0, rowsCompared: 0 };
  const progress = { source: settings.source, target: settings.target, rowsRead: 0, rowsWritten: 0, total: 0 };
  const report = () => options.progress?.report({ ...progress });

  /** `sourceSession`: where a table source is read, when that is not the target's session. */
  const run = (sourceSession: SqlSession | undefined) =>
    targetConnection.transaction(
      async (session) => {
        await lockSync(session, syncId, options.lockTimeoutMs ?? integration.timeoutMs, options.signal);
        const source = await openSource(sourceSession ?? session);
        // Taken before reading anything, so whatever changes while the run reads is at or after it.
        const mark = await source.changeTracking?.mark();
        const state = new SyncState(session, targetConnection.schema, syncId);
        if (!dryRun) await state.ensure();
        const table = await TargetTable.prepare(session, target.schema, target.table, source.columns, source.keyColumns, dryRun);
        progress.total = await source.count();
        report();
        const samples: SyncSamples = { inserted: [], updated: [], deleted: [] };

        /** Every source row written as an insert: a full replace, or a first sync with no state yet. */
        const copyAll = async (replaceExisting: boolean) => {
          if (dryRun) {
            counts.inserted = progress.total;
            for await (const batch of source.rows(Math.max(1, sampleSize))) {
              samples.inserted = batch.slice(0, sampleSize).map((row) => rowObject(source, row));
              break;
            }
            return;
          }
          for await (const batch of source.rows(batchSize)) {
            throwIfCancelled(options.signal, syncId);
            progress.rowsRead += batch.length;
            await table.write(batch, replaceExisting);
            await state.record(batch, true);
            counts.inserted += batch.length;
            progress.rowsWritten += batch.length;
            report();
          }
        };

        if (settings.mode === 'full') {
          counts.deleted = await table.rowCount();
          if (!dryRun) {
            await table.truncate();
            await state.clear();
          }
          await copyAll(false);
        } else if (await state.isEmpty()) {
          await copyAll((await table.rowCount()) > 0);
        } else {
          await mergeWithState();
        }
        if (!dryRun) await state.setMark(mark);
        return dryRun ? samples : undefined;

        /**
         * Stages keys and hashes beside the state, classifies in SQL, then writes only what changed. When the source
         * tracks its changes and the state was saved at a mark of it, only the rows written since are staged.
         */
        async function mergeWithState(): Promise<void> {
          const stage = (pairs: KeyHashSource) =>
            StagedChanges.stage(session, pairs, sourceSession, settings.source, {
              batchSize,
              signal: options.signal,
              cancelled: () => new SyncError('cancelled', `sync ${syncId} cancelled; nothing was written`),
              onRows: (rows) => {
                progress.rowsRead = rows;
                report();
              },
            });
          const since = mark && (await state.mark());
          const changedRows = mark && since && source.changeTracking?.changedSince(since, mark);
          let staged = changedRows && (await stage(changedRows));
          let classified = staged && (await staged.classifyChanged(state, progress.total));
          if (!staged || !classified) {
            await staged?.discard();
            staged = await stage(source);
            classified = await staged.classify(state, targetConnection.type === 'postgresql' ? JOIN_MEMORY : undefined);
          }
          counts.rowsCompared = staged.total;
          counts.inserted = classified.inserted;
          counts.updated = classified.updated;
          counts.unchanged = classified.total - classified.inserted - classified.updated;
          if (settings.delete === 'propagate') counts.deleted = classified.gone;
          else counts.deletesIgnored = classified.gone;
          if (dryRun) {
            samples.deleted = await staged.sample('delete', sampleSize);
            samples.inserted = (await source.rowsByKeys(await staged.sample('insert', sampleSize))).map((row) => rowObject(source, row));
            const updates = await source.rowsByKeys(await staged.sample('update', sampleSize));
            const current = await table.currentValues(updates.map((row) => row.key));
            samples.updated = updates.map((row) => {
              const before = current.get(row.key) ?? [];
              const changedColumns = source.columns.flatMap((column, index) => (before[index] === row.values[index] ? [] : [[column.target, { from: before[index] ?? null, to: row.values[index] }] as const]));
              return { key: row.key, changed: Object.fromEntries(changedColumns) };
            });
            return;
          }
          for await (const batch of staged.changes(batchSize)) {
            throwIfCancelled(options.signal, syncId);
            const rows = await source.rowsByKeys(batch.flatMap((entry) => (entry.change === 'delete' ? [] : [entry.key])));
            await table.write(rows, true);
            await state.record(rows);
            const gone = batch.flatMap((entry) => (entry.change === 'delete' ? [entry.key] : []));
            if (settings.delete === 'propagate') await table.delete(gone);
            await state.forget(gone);
            progress.rowsWritten += rows.length + (settings.delete === 'propagate' ? gone.length : 0);
            report();
          }
        }
      },
      { rollback: dryRun },
    );

  const sharesSession = !sourceConnection || sourceConnection.handle === targetConnection.handle;
  const samples = sharesSession || !sourceConnection ? await run(undefined) : await sourceConnection.transaction((sourceSession) => run(sourceSession), { snapshot: true, rollback: true });
  return { source: settings.source, target: settings.target, mode: settings.mode, ...counts, durationMs: Math.round(performance.now() - started), samples, warnings };
}

/** Runs the `sync_tables` entries of a database integration (all, or those whose source is listed), one after another. */
export async function syncIntegration(
  integration: DatabaseIntegration,
  options: SyncOptions & { sources?: string[]; /** Open connections to use (and leave open); by default the run opens and closes its own. */ connections?: ConnectionSet },
): Promise<SyncIntegrationResult> {
  const connections = options.connections ?? new ConnectionSet(integration);
  const tables: SyncIntegrationResult['tables'] = [];
  try {
    const entries = integration.syncTables.filter((entry) => !options.sources?.length || options.sources.includes(entry.source));
    for (const [index, settings] of entries.entries()) {
      try {
        tables.push(await syncTable(integration, settings, connections, options));
      } catch (error) {
        const failure = asSyncError(error);
        const feeder = options.dryRun && failure.kind === 'source' ? entries.slice(0, index).find((earlier) => feeds(integration, earlier, settings.source)) : undefined;
        // A dry run writes nothing, so a table an earlier entry would create or fill is not there (or not yet so) to preview.
        const explained = feeder ? new SyncError('source', `${failure.message} (a dry run writes nothing: "${feeder.source} -> ${feeder.target}" above fills it on a real run)`) : failure;
        tables.push({ source: settings.source, target: settings.target, error: explained });
      }
    }
  } finally {
    if (!options.connections) await connections.close();
  }
  return { integration: integration.name, dryRun: options.dryRun ?? false, tables };
}

/** Whether `earlier` writes the table that `source` (`<connection>.[<schema>.]<table>`) reads. */
function feeds(integration: DatabaseIntegration, earlier: SyncTableSettings, source: string): boolean {
  const name = tableSourceName(source);
  if (name?.connection !== earlier.connection) return false;
  const schema = integration.connections.find((candidate) => candidate.name === name.connection)?.schema ?? 'public';
  const read = splitTable(name.table, schema);
  const written = splitTable(earlier.target, schema);
  return read.schema === written.schema && read.table === written.table;
}

/** Any failure as a SyncError; database errors keep their message (they carry no secrets: connections are already open). */
export function asSyncError(error: unknown): SyncError {
  if (error instanceof SyncError) return error;
  return new SyncError('database', (error as Error)?.message ?? String(error));
}
