import { qualifiedName, quoteIdentifier, type SqlSession } from './sqlConnection';
import type { KeyHash } from './syncSource';

export const STATE_TABLE = '_simone_sync_state';

/**
 * The content hash last written for each key of each sync, kept in the target database beside the data, so the
 * two always commit together. Keys use the "C" collation (byte order, the same on every server).
 */
export class SyncState {
  readonly table: string;

  constructor(
    private readonly session: SqlSession,
    private readonly schema: string,
    readonly syncId: string,
  ) {
    this.table = qualifiedName(schema, STATE_TABLE);
  }

  async ensure(): Promise<void> {
    await this.session.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(this.schema)}`);
    await this.session.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
      sync_id text NOT NULL, key text COLLATE "C" NOT NULL, hash text NOT NULL, synced_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (sync_id, key))`);
  }

  async isEmpty(): Promise<boolean> {
    const [{ exists }] = await this.session.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [this.table]);
    if (!exists) return true;
    return (await this.session.query(`SELECT 1 FROM ${this.table} WHERE sync_id = $1 LIMIT 1`, [this.syncId])).length === 0;
  }

  async record(rows: KeyHash[]): Promise<void> {
    if (rows.length === 0) return;
    await this.session.query(
      `INSERT INTO ${this.table} (sync_id, key, hash, synced_at) SELECT $1, k, h, now() FROM unnest($2::text[], $3::text[]) AS x(k, h)
       ON CONFLICT (sync_id, key) DO UPDATE SET hash = EXCLUDED.hash, synced_at = EXCLUDED.synced_at`,
      [this.syncId, rows.map((row) => row.key), rows.map((row) => row.hash)],
    );
  }

  async forget(keys: string[]): Promise<void> {
    if (keys.length) await this.session.query(`DELETE FROM ${this.table} WHERE sync_id = $1 AND key = ANY($2::text[])`, [this.syncId, keys]);
  }

  async clear(): Promise<void> {
    await this.session.query(`DELETE FROM ${this.table} WHERE sync_id = $1`, [this.syncId]);
  }
}
