import { qualifiedName, quoteIdentifier, type SqlSession } from './sqlConnection';
import type { KeyHash, SavedMark } from './syncSource';

export const STATE_TABLE = '_simone_sync_state';
/** Per sync: where its source stood when the state was last written (see ChangeTracking). */
const MARK_TABLE = '_simone_sync_marks';
/** Per sync: when its last run committed, changes or not (scheduled syncs count their interval from it). */
const RUN_TABLE = '_simone_sync_runs';

/**
 * The content hash last written for each key of each sync, kept in the target database beside the data, so the
 * two always commit together. Keys use the "C" collation (byte order, the same on every server).
 */
export class SyncState {
  readonly table: string;
  private readonly marks: string;
  private readonly runs: string;
  /**
   * How many keys the state holds now, when known without counting them: saved with the mark, 0 when empty, then
   * kept up to date by every write (a run that compares only changed rows must not scan the whole state to count).
   */
  private keys: number | undefined;

  constructor(
    private readonly session: SqlSession,
    private readonly schema: string,
    readonly syncId: string,
  ) {
    this.table = qualifiedName(schema, STATE_TABLE);
    this.marks = qualifiedName(schema, MARK_TABLE);
    this.runs = qualifiedName(schema, RUN_TABLE);
  }

  async ensure(): Promise<void> {
    await this.session.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(this.schema)}`);
    await this.session.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
      sync_id text NOT NULL, key text COLLATE "C" NOT NULL, hash text NOT NULL, synced_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (sync_id, key))`);
    await this.session.query(`CREATE TABLE IF NOT EXISTS ${this.marks} (sync_id text PRIMARY KEY, identity text NOT NULL, xid text NOT NULL, keys bigint NOT NULL)`);
    await this.session.query(`CREATE TABLE IF NOT EXISTS ${this.runs} (sync_id text PRIMARY KEY, finished_at timestamptz NOT NULL)`);
  }

  /** Notes that a run of this sync commits now (it commits with the run). */
  async recordRun(): Promise<void> {
    await this.session.query(`INSERT INTO ${this.runs} (sync_id, finished_at) VALUES ($1, now()) ON CONFLICT (sync_id) DO UPDATE SET finished_at = EXCLUDED.finished_at`, [this.syncId]);
  }

  /** When a run of this sync last committed; undefined if none did (or before runs were recorded). */
  async lastRunAt(): Promise<Date | undefined> {
    if (!(await this.exists(this.runs))) return undefined;
    const [row] = await this.session.query<{ at: Date | string }>(`SELECT finished_at AS at FROM ${this.runs} WHERE sync_id = $1`, [this.syncId]);
    return row ? new Date(row.at) : undefined;
  }

  /** Keys in the state. */
  async size(): Promise<number> {
    if (this.keys === undefined) {
      const [{ count }] = await this.session.query<{ count: number }>(`SELECT count(*)::int AS count FROM ${this.table} WHERE sync_id = $1`, [this.syncId]);
      this.keys = count;
    }
    return this.keys;
  }

  /** The source's mark saved with the state, if any. */
  async mark(): Promise<SavedMark | undefined> {
    if (!(await this.exists(this.marks))) return undefined;
    const [row] = await this.session.query<SavedMark & { keys: number }>(`SELECT identity, xid, keys::int AS keys FROM ${this.marks} WHERE sync_id = $1`, [this.syncId]);
    if (!row) return undefined;
    this.keys = row.keys;
    return { identity: row.identity, xid: row.xid };
  }

  /** Saves (or, with none, forgets) the mark the state now stands at, with its size; it commits with the state. */
  async setMark(mark: SavedMark | undefined): Promise<void> {
    await this.session.query(`DELETE FROM ${this.marks} WHERE sync_id = $1`, [this.syncId]);
    if (mark) await this.session.query(`INSERT INTO ${this.marks} (sync_id, identity, xid, keys) VALUES ($1, $2, $3, $4)`, [this.syncId, mark.identity, mark.xid, await this.size()]);
  }

  async isEmpty(): Promise<boolean> {
    const empty = !(await this.exists(this.table)) || (await this.session.query(`SELECT 1 FROM ${this.table} WHERE sync_id = $1 LIMIT 1`, [this.syncId])).length === 0;
    if (empty) this.keys = 0;
    return empty;
  }

  /** Saves the hashes of rows written, `added` of them under keys the state did not hold (the caller knows which). */
  async record(rows: KeyHash[], added: number): Promise<void> {
    if (rows.length === 0) return;
    await this.session.query(
      `INSERT INTO ${this.table} (sync_id, key, hash, synced_at) SELECT $1, k, h, now() FROM unnest($2::text[], $3::text[]) AS x(k, h)
       ON CONFLICT (sync_id, key) DO UPDATE SET hash = EXCLUDED.hash, synced_at = EXCLUDED.synced_at`,
      [this.syncId, rows.map((row) => row.key), rows.map((row) => row.hash)],
    );
    if (this.keys !== undefined) this.keys += added;
  }

  async forget(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    const [{ removed }] = await this.session.query<{ removed: number }>(
      `WITH removed AS (DELETE FROM ${this.table} WHERE sync_id = $1 AND key = ANY($2::text[]) RETURNING 1) SELECT count(*)::int AS removed FROM removed`,
      [this.syncId, keys],
    );
    if (this.keys !== undefined) this.keys -= removed;
  }

  /** When this sync last wrote a change; undefined if it never did. */
  async lastChangeAt(): Promise<Date | undefined> {
    if (!(await this.exists(this.table))) return undefined;
    const [row] = await this.session.query<{ at: Date | string | null }>(`SELECT max(synced_at) AS at FROM ${this.table} WHERE sync_id = $1`, [this.syncId]);
    return row?.at ? new Date(row.at) : undefined;
  }

  /** Every key's saved hash: for comparing a small source (a Simone project) without a run. */
  async savedHashes(): Promise<Map<string, string>> {
    if (!(await this.exists(this.table))) return new Map();
    const rows = await this.session.query<KeyHash>(`SELECT key, hash FROM ${this.table} WHERE sync_id = $1`, [this.syncId]);
    return new Map(rows.map((row) => [row.key, row.hash]));
  }

  private async exists(relation: string): Promise<boolean> {
    const [{ exists }] = await this.session.query<{ exists: boolean }>('SELECT to_regclass($1) IS NOT NULL AS exists', [relation]);
    return exists;
  }

  async clear(): Promise<void> {
    await this.session.query(`DELETE FROM ${this.table} WHERE sync_id = $1`, [this.syncId]);
    this.keys = 0;
  }
}
