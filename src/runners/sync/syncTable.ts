import type { DatabaseIntegration, SyncTableSettings } from '../../core/model';
import { SIMONE_ENTITY_SETS } from '../../core/simoneEntitySets';
import type { RunEvent } from '../runEvents';
import type { ConnectionSet } from './connectionSet';
import type { SyncOptions, SyncSamples, SyncTableResult } from './runSync';
import { readSimoneSource } from './simoneSource';
import type { SqlConnection, SqlSession } from './sqlConnection';
import { StagedChanges, type ChangeCounts } from './stagedChanges';
import { syncCancelled, syncFailure } from './syncFailure';
import { lockSync } from './syncLock';
import type { KeyHashSource, SourceMark, SourceRow, SyncSource } from './syncSource';
import { SyncState } from './syncState';
import { splitTable, syncTarget, tableSourceName } from './syncTableNames';
import { openTableSource } from './tableSource';
import { TargetTable } from './targetTable';

/** Server memory for the join that classifies (about a million pairs without spilling to disk). */
const JOIN_MEMORY = '128MB';
/**
 * Changed rows written per statement. Small enough that the planner looks each key up in the target's index: with
 * 5,000 keys against a million rows it chose to scan the whole table instead (100 ms a batch instead of 25 ms).
 */
const CHANGE_BATCH = 1000;

type Counts = Pick<SyncTableResult, 'inserted' | 'updated' | 'deleted' | 'unchanged' | 'deletesIgnored' | 'rowsCompared'>;
const NO_COUNTS: Counts = { inserted: 0, updated: 0, deleted: 0, unchanged: 0, deletesIgnored: 0, rowsCompared: 0 };

/** Rows read and written so far, reported as `table-progress` events. */
class TableProgress {
  total = 0;
  private rowsRead = 0;
  private rowsWritten = 0;

  constructor(
    private readonly settings: SyncTableSettings,
    private readonly emit: (event: RunEvent) => void,
  ) {}

  /** `rows` read so far in all. */
  read(rows: number): void {
    this.rowsRead = rows;
    this.report();
  }

  wrote(rows: number): void {
    this.rowsWritten += rows;
    this.report();
  }

  /** `rows` more read and written as they were. */
  copied(rows: number): void {
    this.rowsRead += rows;
    this.wrote(rows);
  }

  report(): void {
    const { source, target } = this.settings;
    this.emit({ type: 'table-progress', source, target, rowsRead: this.rowsRead, rowsWritten: this.rowsWritten, total: this.total });
  }
}

/** What the steps of one table's run work on: all of it set up before the first row moves. */
interface TableRun {
  readonly settings: SyncTableSettings;
  /** The target's session, inside the run's transaction. */
  readonly session: SqlSession;
  /** Where a table source is read, when that is not the target's session. */
  readonly sourceSession?: SqlSession;
  readonly source: SyncSource;
  readonly state: SyncState;
  readonly table: TargetTable;
  readonly progress: TableProgress;
  readonly dryRun: boolean;
  readonly batchSize: number;
  readonly sampleSize: number;
  readonly signal?: AbortSignal;
  /** `work_mem` for the classifying join (PostgreSQL only). */
  readonly joinMemory?: string;
  readonly cancelled: () => Error;
}

/** How a source is opened inside the run, where it is read, and the Simone files it had to leave out. */
interface SourceOpening {
  open(session: SqlSession): Promise<SyncSource>;
  /** The connection a table source is on. */
  connection?: SqlConnection;
  warnings: string[];
}

async function openSource(settings: SyncTableSettings, connections: ConnectionSet, options: SyncOptions): Promise<SourceOpening> {
  if ((SIMONE_ENTITY_SETS as readonly string[]).includes(settings.source)) {
    const { source, warnings } = readSimoneSource(settings, options.projectFolder, options.fileSystem);
    return { open: async () => source, warnings };
  }
  const name = tableSourceName(settings.source);
  if (!name) throw syncFailure('config', `source "${settings.source}" is neither ${SIMONE_ENTITY_SETS.join(', ')} nor <connection>.<table>`);
  const connection = await connections.get(name.connection);
  const table = splitTable(name.table, connection.schema);
  return { open: (session) => openTableSource(session, table.schema, table.table, settings, settings.source), connection, warnings: [] };
}

const rowObject = (source: SyncSource, row: SourceRow) => Object.fromEntries(source.columns.map((column, index) => [column.target, row.values[index]]));

/** Every source row written as an insert (a full replace, or a first sync with no state yet); a dry run counts them. */
async function copyAll(run: TableRun, replaceExisting: boolean): Promise<{ inserted: number; samples?: SyncSamples }> {
  const { source, table, state, progress } = run;
  if (run.dryRun) {
    const samples: SyncSamples = { inserted: [], updated: [], deleted: [] };
    for await (const batch of source.rows(Math.max(1, run.sampleSize))) {
      samples.inserted = batch.slice(0, run.sampleSize).map((row) => rowObject(source, row));
      break;
    }
    return { inserted: progress.total, samples };
  }
  let inserted = 0;
  for await (const batch of source.rows(run.batchSize)) {
    if (run.signal?.aborted) throw run.cancelled();
    await table.write(batch, replaceExisting);
    await state.record(batch, batch.length);
    inserted += batch.length;
    progress.copied(batch.length);
  }
  return { inserted };
}

/** `mode: full`: empties the target and its state, then writes every row. */
async function replaceAll(run: TableRun): Promise<{ counts: Counts; samples?: SyncSamples }> {
  const deleted = await run.table.rowCount();
  if (!run.dryRun) {
    await run.table.truncate();
    await run.state.clear();
  }
  const { inserted, samples } = await copyAll(run, false);
  return { counts: { ...NO_COUNTS, inserted, deleted }, samples };
}

/**
 * Stages keys and hashes beside the state and classifies them in SQL. When the source tracks its changes and the
 * state was saved at a mark of it, only the rows written since are staged; should their counts not add up (a row
 * was deleted), every row is staged and compared instead.
 */
async function classifyChanges(run: TableRun, mark: SourceMark | undefined): Promise<{ staged: StagedChanges; classified: ChangeCounts }> {
  const stage = (pairs: KeyHashSource) =>
    StagedChanges.stage(run.session, pairs, run.sourceSession, run.settings.source, { batchSize: run.batchSize, signal: run.signal, cancelled: run.cancelled, onRows: (rows) => run.progress.read(rows) });
  const since = mark && (await run.state.mark());
  const changedRows = mark && since && run.source.changeTracking?.changedSince(since, mark);
  if (changedRows) {
    const staged = await stage(changedRows);
    const classified = await staged.classifyChanged(run.state, run.progress.total);
    if (classified) return { staged, classified };
    await staged.discard();
  }
  const staged = await stage(run.source);
  return { staged, classified: await staged.classify(run.state, run.joinMemory) };
}

function countsOf(classified: ChangeCounts, rowsCompared: number, deletes: SyncTableSettings['delete']): Counts {
  const { total, inserted, updated, gone } = classified;
  const propagate = deletes === 'propagate';
  return { inserted, updated, unchanged: total - inserted - updated, deleted: propagate ? gone : 0, deletesIgnored: propagate ? 0 : gone, rowsCompared };
}

/** A dry run's view of what would change: the first keys of each class, with the columns an update changes. */
async function previewSamples(run: TableRun, staged: StagedChanges): Promise<SyncSamples> {
  const { source, table, sampleSize } = run;
  const inserted = (await source.rowsByKeys(await staged.sample('insert', sampleSize))).map((row) => rowObject(source, row));
  const updates = await source.rowsByKeys(await staged.sample('update', sampleSize));
  const current = await table.currentValues(updates.map((row) => row.key));
  const updated = updates.map((row) => {
    const before = current.get(row.key) ?? [];
    const changedColumns = source.columns.flatMap((column, index) => (before[index] === row.values[index] ? [] : [[column.target, { from: before[index] ?? null, to: row.values[index] }] as const]));
    return { key: row.key, changed: Object.fromEntries(changedColumns) };
  });
  return { inserted, updated, deleted: await staged.sample('delete', sampleSize) };
}

/** Writes the classified changes: changed rows fetched from the source by key, gone keys deleted (or only forgotten). */
async function applyChanges(run: TableRun, staged: StagedChanges): Promise<void> {
  const propagate = run.settings.delete === 'propagate';
  for await (const batch of staged.changes(Math.min(run.batchSize, CHANGE_BATCH))) {
    if (run.signal?.aborted) throw run.cancelled();
    const inserts = new Set(batch.flatMap((entry) => (entry.change === 'insert' ? [entry.key] : [])));
    const rows = await run.source.rowsByKeys(batch.flatMap((entry) => (entry.change === 'delete' ? [] : [entry.key])));
    await run.table.write(rows, true);
    await run.state.record(rows, rows.filter((row) => inserts.has(row.key)).length);
    const gone = batch.flatMap((entry) => (entry.change === 'delete' ? [entry.key] : []));
    if (propagate) await run.table.delete(gone);
    await run.state.forget(gone);
    run.progress.wrote(rows.length + (propagate ? gone.length : 0));
  }
}

/** An incremental run over a state: classify, then preview (a dry run) or apply. */
async function mergeWithState(run: TableRun, mark: SourceMark | undefined): Promise<{ counts: Counts; samples?: SyncSamples }> {
  const { staged, classified } = await classifyChanges(run, mark);
  const counts = countsOf(classified, staged.total, run.settings.delete);
  if (run.dryRun) return { counts, samples: await previewSamples(run, staged) };
  await applyChanges(run, staged);
  return { counts };
}

/**
 * Runs one `sync_tables` entry in one transaction on the target: the state table and the data commit together, so
 * a crash or cancel leaves the target as it was, and the next run does the whole job. Throws what went wrong.
 */
export async function syncTable(integration: DatabaseIntegration, settings: SyncTableSettings, connections: ConnectionSet, options: SyncOptions, emit: (event: RunEvent) => void): Promise<SyncTableResult> {
  const started = performance.now();
  const dryRun = options.dryRun ?? false;
  const targetConnection = await connections.get(settings.connection);
  const { schema, table: tableName, syncId } = syncTarget(integration, settings, targetConnection.schema);
  const opening = await openSource(settings, connections, options);
  const cancelled = () => syncCancelled(`sync ${syncId}`);
  const progress = new TableProgress(settings, emit);

  const run = (sourceSession: SqlSession | undefined) =>
    targetConnection.transaction(
      async (session) => {
        await lockSync(session, syncId, options.lockTimeoutMs ?? integration.timeoutMs, options.signal);
        const source = await opening.open(sourceSession ?? session);
        // Taken before reading anything, so whatever changes while the run reads is at or after it.
        const mark = await source.changeTracking?.mark();
        const state = new SyncState(session, targetConnection.schema, syncId);
        if (!dryRun) await state.ensure();
        const table = await TargetTable.prepare(session, schema, tableName, source.columns, source.keyColumns, dryRun);
        progress.total = await source.count();
        progress.report();
        const tableRun: TableRun = {
          settings, session, sourceSession, source, state, table, progress, dryRun, cancelled,
          batchSize: options.batchSize ?? 5000,
          sampleSize: options.sampleSize ?? 3,
          signal: options.signal,
          joinMemory: targetConnection.type === 'postgresql' ? JOIN_MEMORY : undefined,
        };
        let outcome: { counts: Counts; samples?: SyncSamples };
        if (settings.mode === 'full') outcome = await replaceAll(tableRun);
        else if (await state.isEmpty()) {
          const { inserted, samples } = await copyAll(tableRun, (await table.rowCount()) > 0);
          outcome = { counts: { ...NO_COUNTS, inserted }, samples };
        } else outcome = await mergeWithState(tableRun, mark);
        if (!dryRun) {
          await state.setMark(mark);
          await state.recordRun();
        }
        return outcome;
      },
      { rollback: dryRun },
    );

  const source = opening.connection;
  const sharesSession = !source || source.handle === targetConnection.handle;
  const { counts, samples } = sharesSession ? await run(undefined) : await source.transaction((sourceSession) => run(sourceSession), { snapshot: true, rollback: true });
  return { ok: true, source: settings.source, target: settings.target, mode: settings.mode, ...counts, durationMs: Math.round(performance.now() - started), ...(samples ? { samples } : {}), warnings: opening.warnings };
}
