import { join } from 'node:path';
import type { DatabaseIntegration, SyncTableSettings } from '../../core/model';
import type { ProjectFileSystem } from '../../core/simone/projectFileSystem';
import { readSimoneProject } from '../../core/simone/readProject';
import { SIMONE_ENTITY_SETS, type SimoneEntitySet } from '../../core/simoneEntitySets';
import { compareKeys } from './compareKeys';
import { ConnectionSet } from './connectionSet';
import { KeyHashReader } from './keyHashReader';
import { simoneSource } from './simoneSource';
import type { SqlConnection, SqlSession } from './sqlConnection';
import { SyncError } from './syncError';
import { lockSync } from './syncLock';
import type { SourceRow, SyncSource } from './syncSource';
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
  fileSystem?: ProjectFileSystem;
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
    // A file left out for a problem would otherwise look deleted.
    if (warnings.length && settings.delete === 'propagate') throw new SyncError('source', `${settings.source}: the Simone project has files that cannot be read, so deletes cannot be told apart:\n  ${warnings.join('\n  ')}`);
    openSource = async () => simoneSource(project, settings.source as SimoneEntitySet, options.projectFolder, settings);
  } else {
    const [connectionName, ...rest] = settings.source.split('.');
    if (rest.length === 0) throw new SyncError('config', `source "${settings.source}" is neither ${SIMONE_ENTITY_SETS.join(', ')} nor <connection>.<table>`);
    sourceConnection = await connections.get(connectionName);
    const table = splitTable(rest.join('.'), sourceConnection.schema);
    openSource = (session) => openTableSource(session, table.schema, table.table, settings, settings.source);
  }

  const counts = { inserted: 0, updated: 0, deleted: 0, unchanged: 0, deletesIgnored: 0 };
  const progress = { source: settings.source, target: settings.target, rowsRead: 0, rowsWritten: 0, total: 0 };
  const report = () => options.progress?.report({ ...progress });

  const run = (sourceSession: SqlSession | undefined) =>
    targetConnection.transaction(
      async (session) => {
        await lockSync(session, syncId, options.lockTimeoutMs ?? integration.timeoutMs, options.signal);
        const source = await openSource(sourceSession ?? session);
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
            await state.record(batch);
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
        return dryRun ? samples : undefined;

        /** Walks source and state in key order together: each key is an insert, update, delete or unchanged. */
        async function mergeWithState(): Promise<void> {
          const changed: string[] = [];
          const gone: string[] = [];
          const sampleInserts: string[] = [];
          const sampleUpdates: string[] = [];
          const flushChanged = async () => {
            const rows = await source.rowsByKeys(changed.splice(0));
            await table.write(rows, true);
            await state.record(rows);
            progress.rowsWritten += rows.length;
            report();
          };
          const flushGone = async () => {
            const keys = gone.splice(0);
            if (settings.delete === 'propagate') await table.delete(keys);
            await state.forget(keys);
            if (settings.delete === 'propagate') progress.rowsWritten += keys.length;
            report();
          };
          const sourceReader = new KeyHashReader(source.keyHashes(batchSize), settings.source, (size) => {
            throwIfCancelled(options.signal, syncId);
            progress.rowsRead += size;
            report();
          });
          const stateReader = new KeyHashReader(state.entries(batchSize), `the sync state of ${syncId}`);
          try {
            for (;;) {
              if (sourceReader.needsFill) await sourceReader.fill();
              if (stateReader.needsFill) await stateReader.fill();
              const incoming = sourceReader.peek();
              const known = stateReader.peek();
              if (!incoming && !known) break;
              const order = !incoming ? 1 : !known ? -1 : compareKeys(incoming.key, known.key);
              if (order < 0 && incoming) {
                counts.inserted++;
                if (sampleInserts.length < sampleSize) sampleInserts.push(incoming.key);
                changed.push(incoming.key);
                sourceReader.advance();
              } else if (order > 0 && known) {
                if (settings.delete === 'propagate') counts.deleted++;
                else counts.deletesIgnored++;
                if (samples.deleted.length < sampleSize) samples.deleted.push(known.key);
                gone.push(known.key);
                stateReader.advance();
              } else if (incoming && known) {
                if (incoming.hash === known.hash) counts.unchanged++;
                else {
                  counts.updated++;
                  if (sampleUpdates.length < sampleSize) sampleUpdates.push(incoming.key);
                  changed.push(incoming.key);
                }
                sourceReader.advance();
                stateReader.advance();
              }
              if (dryRun) {
                changed.length = 0;
                gone.length = 0;
              } else {
                if (changed.length >= batchSize) await flushChanged();
                if (gone.length >= batchSize) await flushGone();
              }
            }
            if (!dryRun) {
              if (changed.length) await flushChanged();
              if (gone.length) await flushGone();
            }
          } finally {
            await sourceReader.close();
            await stateReader.close();
          }
          if (dryRun) {
            samples.inserted = (await source.rowsByKeys(sampleInserts)).map((row) => rowObject(source, row));
            const current = await table.currentValues(sampleUpdates);
            samples.updated = (await source.rowsByKeys(sampleUpdates)).map((row) => {
              const before = current.get(row.key) ?? [];
              const changedColumns = source.columns.flatMap((column, index) => (before[index] === row.values[index] ? [] : [[column.target, { from: before[index] ?? null, to: row.values[index] }] as const]));
              return { key: row.key, changed: Object.fromEntries(changedColumns) };
            });
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
    for (const settings of integration.syncTables.filter((entry) => !options.sources?.length || options.sources.includes(entry.source))) {
      try {
        tables.push(await syncTable(integration, settings, connections, options));
      } catch (error) {
        tables.push({ source: settings.source, target: settings.target, error: asSyncError(error) });
      }
    }
  } finally {
    if (!options.connections) await connections.close();
  }
  return { integration: integration.name, dryRun: options.dryRun ?? false, tables };
}

/** Any failure as a SyncError; database errors keep their message (they carry no secrets: connections are already open). */
export function asSyncError(error: unknown): SyncError {
  if (error instanceof SyncError) return error;
  return new SyncError('database', (error as Error)?.message ?? String(error));
}
