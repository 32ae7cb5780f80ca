import type { WorkspaceFileSystem } from '../../core/fileSystem';
import type { DatabaseIntegration } from '../../core/model';
import { cancelledError, integrationSecrets, runnerError, type RunnerError } from '../errors';
import { eventSink, type RunOptions } from '../runEvents';
import { ConnectionSet } from './connectionSet';
import { syncRunnerError } from './syncFailure';
import { syncTable } from './syncTable';
import { feeds } from './syncTableNames';

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
  ok: true;
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

/** A table whose run failed: nothing of it was written. */
export interface SyncTableFailure {
  ok: false;
  source: string;
  target: string;
  error: RunnerError;
}

/**
 * `onEvent` hears `table-started`, then `table-progress` (rows read and written so far, out of the source's `total`
 * after `filter`), then `table-finished`, for each table in turn.
 */
export interface SyncOptions extends RunOptions {
  /** Classify exactly as a real run would, and write nothing. */
  dryRun?: boolean;
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
  /** Every table synced (or, in a dry run, previewed). */
  ok: boolean;
  /** When a table failed: the first failure, saying how many failed. */
  error?: RunnerError;
  tables: Array<SyncTableResult | SyncTableFailure>;
}

/** Runs the `sync_tables` entries of a database integration (all, or those whose source is listed), one after another; never throws for a failed run. */
export async function syncIntegration(
  integration: DatabaseIntegration,
  options: SyncOptions & { sources?: string[]; /** Open connections to use (and leave open); by default the run opens and closes its own. */ connections?: ConnectionSet },
): Promise<SyncIntegrationResult> {
  const connections = options.connections ?? new ConnectionSet(integration);
  const emit = eventSink(options.onEvent);
  const secrets = integrationSecrets(integration);
  const tables: SyncIntegrationResult['tables'] = [];
  try {
    const entries = integration.syncTables.filter((entry) => !options.sources?.length || options.sources.includes(entry.source));
    for (const [index, settings] of entries.entries()) {
      const { source, target } = settings;
      emit({ type: 'table-started', source, target });
      try {
        if (options.signal?.aborted) throw options.signal.reason;
        tables.push(await syncTable(integration, settings, connections, options, emit));
        emit({ type: 'table-finished', source, target, ok: true });
      } catch (thrown) {
        // Once the signal has aborted, whatever the run was doing when it stopped is the cancel it is.
        let error = options.signal?.aborted ? cancelledError(`sync ${source} -> ${target}; nothing was written`) : syncRunnerError(thrown, secrets);
        // A dry run writes nothing, so a table an earlier entry would create or fill is not there (or not yet so) to preview.
        const feeder = options.dryRun && error.code === 'source' ? entries.slice(0, index).find((earlier) => feeds(integration, earlier, source)) : undefined;
        if (feeder) error = { ...error, message: `${error.message} (a dry run writes nothing: "${feeder.source} -> ${feeder.target}" above fills it on a real run)` };
        tables.push({ ok: false, source, target, error });
        emit({ type: 'table-finished', source, target, ok: false, error });
      }
    }
  } finally {
    if (!options.connections) await connections.close();
  }
  const failed = tables.filter((table): table is SyncTableFailure => !table.ok);
  const first = failed[0];
  const error = first && runnerError(first.error.kind, `${failed.length} of ${tables.length} tables failed; ${first.source} -> ${first.target}: ${first.error.message}`, first.error.code);
  return { integration: integration.name, dryRun: options.dryRun ?? false, ok: !first, ...(error ? { error } : {}), tables };
}
