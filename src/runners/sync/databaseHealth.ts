import type { WorkspaceFileSystem } from '../../core/fileSystem';
import type { DatabaseIntegration, SyncTableSettings } from '../../core/model';
import { SIMONE_ENTITY_SETS } from '../../core/simoneEntitySets';
import { integrationSecrets } from '../errors';
import { raceAbort } from '../raceAbort';
import { ConnectionSet } from './connectionSet';
import { readSimoneSource } from './simoneSource';
import { qualifiedName, type SqlConnection, type SqlSession } from './sqlConnection';
import { syncRunnerError } from './syncFailure';
import { SyncState } from './syncState';
import { syncTarget } from './syncTableNames';

export interface SyncTableHealth {
  source: string;
  target: string;
  targetPresent: boolean;
  /** When this sync last wrote a change (ISO), from the state table. */
  lastSyncAt?: string;
  /** Rows a sync would write now; known for Simone sources (their files hashed against the state), not for tables. */
  pendingChanges?: number;
}

export interface DatabaseHealth {
  state: 'healthy' | 'degraded' | 'unhealthy';
  /** The slowest `SELECT 1` among the connections. */
  latencyMs: number;
  detail: string;
  tables: SyncTableHealth[];
}

export interface DatabaseHealthOptions {
  projectFolder: string;
  fileSystem?: WorkspaceFileSystem;
  /** Open connections to use (and leave open); by default the probe opens and closes its own. */
  connections?: ConnectionSet;
  /** Stops the probe: a running PostgreSQL statement is cancelled on the server, and the probe rejects with the reason. */
  signal?: AbortSignal;
}

/** The connection's statements, each given the signal (see SqlConnection.query). */
const withSignal = (connection: SqlConnection, signal: AbortSignal | undefined): SqlSession => ({ query: (sql, params) => connection.query(sql, params, signal) });

/**
 * Rows a sync of a Simone set would write: its rows hashed here, as a sync hashes them, against the hashes in the
 * state (a project is small; a table source would need a scan of every row, so it gets no count).
 */
async function pendingSimoneChanges(settings: SyncTableSettings, state: SyncState, options: DatabaseHealthOptions): Promise<number> {
  const { source } = readSimoneSource(settings, options.projectFolder, options.fileSystem);
  const saved = await state.savedHashes();
  let pending = 0;
  for await (const batch of source.keyHashes(Number.MAX_SAFE_INTEGER)) {
    for (const { key, hash } of batch) {
      if (saved.get(key) !== hash) pending++;
      saved.delete(key);
    }
  }
  // What is left in the state has left the source: deleted from the target only with `delete: propagate`.
  return pending + (settings.delete === 'propagate' ? saved.size : 0);
}

/** One sync's target, last change and (for Simone sets) pending changes; `problem` says what is wrong with it. */
async function tableHealth(integration: DatabaseIntegration, settings: SyncTableSettings, connections: ConnectionSet, options: DatabaseHealthOptions): Promise<{ health: SyncTableHealth; problem?: string }> {
  const connection = await raceAbort(connections.get(settings.connection), options.signal);
  const session = withSignal(connection, options.signal);
  const target = syncTarget(integration, settings, connection.schema);
  const [{ present }] = await session.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [qualifiedName(target.schema, target.table)]);
  const health: SyncTableHealth = { source: settings.source, target: settings.target, targetPresent: present };
  const state = new SyncState(session, connection.schema, target.syncId);
  const lastChange = await state.lastChangeAt();
  if (lastChange) health.lastSyncAt = lastChange.toISOString();
  let problem = present ? undefined : `target ${settings.target} of ${settings.source} does not exist yet`;
  if ((SIMONE_ENTITY_SETS as readonly string[]).includes(settings.source)) {
    try {
      health.pendingChanges = await pendingSimoneChanges(settings, state, options);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      problem = `${settings.source}: ${syncRunnerError(error, integrationSecrets(integration)).message}`;
    }
  }
  return { health, problem };
}

/**
 * Probes a `database` integration with a few cheap statements: every connection answers `SELECT 1`, every target
 * table exists, each sync's last change (and, for Simone sets, the pending changes) from its state. Unhealthy when
 * a connection fails, degraded when a target is missing or a check fails. Rejects when the signal aborts.
 */
export async function databaseHealth(integration: DatabaseIntegration, options: DatabaseHealthOptions): Promise<DatabaseHealth> {
  const connections = options.connections ?? new ConnectionSet(integration);
  const secrets = integrationSecrets(integration);
  let latencyMs = 0;
  const problems: string[] = [];
  const tables: SyncTableHealth[] = [];
  try {
    for (const settings of integration.connections) {
      const started = performance.now();
      try {
        const connection = await raceAbort(connections.get(settings.name), options.signal);
        await connection.query('SELECT 1', [], options.signal);
        latencyMs = Math.max(latencyMs, Math.round(performance.now() - started));
      } catch (error) {
        if (options.signal?.aborted) throw error;
        return { state: 'unhealthy', latencyMs: Math.round(performance.now() - started), detail: syncRunnerError(error, secrets).message, tables };
      }
    }
    for (const settings of integration.syncTables) {
      const { health, problem } = await tableHealth(integration, settings, connections, options);
      tables.push(health);
      if (problem) problems.push(problem);
    }
  } finally {
    if (!options.connections) await connections.close();
  }
  return { state: problems.length ? 'degraded' : 'healthy', latencyMs, detail: problems.join('; ') || `${integration.connections.length} connection(s) answer, ${tables.length} target(s) present`, tables };
}
