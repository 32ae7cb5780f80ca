import type { DatabaseIntegration } from '../../core/model';
import { SIMONE_ENTITY_SETS } from '../../core/simoneEntitySets';
import { ConnectionSet } from './connectionSet';
import { qualifiedName } from './sqlConnection';
import { asSyncError, syncTable, syncTarget } from './runSync';
import { STATE_TABLE } from './syncState';

export interface SyncTableHealth {
  source: string;
  target: string;
  targetPresent: boolean;
  /** When this sync last wrote a change (ISO), from the state table. */
  lastSyncAt?: string;
  /** Rows a sync would write now; known for Simone sources (a dry run of a few files), not for tables. */
  pendingChanges?: number;
}

export interface DatabaseHealth {
  state: 'healthy' | 'degraded' | 'unhealthy';
  /** The slowest `SELECT 1` among the connections. */
  latencyMs: number;
  detail: string;
  tables: SyncTableHealth[];
}

/**
 * Probes a `database` integration: every connection answers `SELECT 1`, every target table exists, and the last
 * sync time (and, where cheap, the pending changes) of each sync. Unhealthy when a connection fails, degraded when a
 * target is missing or a check fails.
 */
export async function databaseHealth(integration: DatabaseIntegration, options: { projectFolder: string; connections?: ConnectionSet }): Promise<DatabaseHealth> {
  const connections = options.connections ?? new ConnectionSet(integration);
  let latencyMs = 0;
  const problems: string[] = [];
  const tables: SyncTableHealth[] = [];
  try {
    for (const settings of integration.connections) {
      const started = performance.now();
      try {
        await (await connections.get(settings.name)).query('SELECT 1');
        latencyMs = Math.max(latencyMs, Math.round(performance.now() - started));
      } catch (error) {
        return { state: 'unhealthy', latencyMs: Math.round(performance.now() - started), detail: asSyncError(error).message, tables };
      }
    }
    for (const settings of integration.syncTables) {
      const connection = await connections.get(settings.connection);
      const target = syncTarget(integration, settings, connection.schema);
      const [row] = await connection.query<{ present: boolean; state: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present, to_regclass($2) IS NOT NULL AS state', [
        qualifiedName(target.schema, target.table),
        qualifiedName(connection.schema, STATE_TABLE),
      ]);
      const health: SyncTableHealth = { source: settings.source, target: settings.target, targetPresent: row.present };
      if (!row.present) problems.push(`target ${settings.target} of ${settings.source} does not exist yet`);
      if (row.state) {
        const [last] = await connection.query<{ at: Date | string | null }>(`SELECT max(synced_at) AS at FROM ${qualifiedName(connection.schema, STATE_TABLE)} WHERE sync_id = $1`, [target.syncId]);
        if (last.at) health.lastSyncAt = new Date(last.at).toISOString();
      }
      if ((SIMONE_ENTITY_SETS as readonly string[]).includes(settings.source)) {
        try {
          const preview = await syncTable(integration, settings, connections, { dryRun: true, projectFolder: options.projectFolder, lockTimeoutMs: 0, sampleSize: 0 });
          health.pendingChanges = preview.inserted + preview.updated + preview.deleted;
        } catch (error) {
          problems.push(`${settings.source}: ${asSyncError(error).message}`);
        }
      }
      tables.push(health);
    }
  } finally {
    if (!options.connections) await connections.close();
  }
  return { state: problems.length ? 'degraded' : 'healthy', latencyMs, detail: problems.join('; ') || `${integration.connections.length} connection(s) answer, ${tables.length} target(s) present`, tables };
}
