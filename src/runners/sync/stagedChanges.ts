import { streamQuery } from './cursor';
import type { SqlSession } from './sqlConnection';
import { sqlLiteral } from './sqlKeys';
import { syncFailure } from './syncFailure';
import type { SyncState } from './syncState';
import type { KeyHashSource } from './syncSource';

export type Change = 'insert' | 'update' | 'delete';

export interface ChangeCounts {
  /** Source rows (after `filter`). */
  total: number;
  inserted: number;
  updated: number;
  /** Keys in the state that the source no longer has. */
  gone: number;
}

const STAGED = 'pg_temp.simone_sync_source';
const CHANGES = 'pg_temp.simone_sync_changes';
const NEWLINE = 0x0a;

/**
 * What changed between a source and a sync's state, found inside the target database: the source's (key, hash) pairs
 * are staged in a temporary table beside the state table and compared with it in one join, so only changed keys
 * ever reach the client. Staging takes the cheapest way there: one `INSERT … SELECT` when the source is in the same
 * session, a `COPY` piped between two PostgreSQL sessions, else batches of pairs. The temporary tables live until
 * the transaction ends (a dry run rolls them back with the rest).
 */
export class StagedChanges {
  private constructor(
    private readonly session: SqlSession,
    /** Pairs staged. */
    readonly total: number,
  ) {}

  /**
   * Stages the source's pairs. `sourceSession` is where a table source is read, when it is not `session` itself.
   * `onRows` hears how many pairs arrived so far; the signal is checked as they arrive.
   */
  static async stage(session: SqlSession, source: KeyHashSource, sourceSession: SqlSession | undefined, what: string, options: { batchSize: number; onRows(count: number): void; signal?: AbortSignal; cancelled(): Error }): Promise<StagedChanges> {
    await session.query(`CREATE TEMP TABLE ${STAGED.slice('pg_temp.'.length)} (key text COLLATE "C", hash text) ON COMMIT DROP`);
    const checkCancelled = () => {
      if (options.signal?.aborted) throw options.cancelled();
    };
    let rows = 0;
    if (source.keyHashQuery && !sourceSession) {
      await session.query(`INSERT INTO ${STAGED} (key, hash) ${source.keyHashQuery}`);
      [{ rows }] = await session.query<{ rows: number }>(`SELECT count(*)::int AS rows FROM ${STAGED}`);
      options.onRows(rows);
    } else if (source.keyHashQuery && sourceSession?.copyOut && session.copyIn) {
      const bytes = sourceSession.copyOut(`COPY (${source.keyHashQuery}) TO STDOUT`);
      let reported = 0;
      // Text COPY escapes newlines inside values, so each newline byte ends one row.
      async function* counted(): AsyncGenerator<Buffer> {
        for await (const chunk of bytes as AsyncIterable<Buffer>) {
          checkCancelled();
          for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) rows++;
          if (rows - reported >= options.batchSize) options.onRows((reported = rows));
          yield chunk;
        }
      }
      await session.copyIn(`COPY ${STAGED} (key, hash) FROM STDIN`, counted());
      options.onRows(rows);
    } else {
      for await (const batch of source.keyHashes(options.batchSize)) {
        checkCancelled();
        await session.query(`INSERT INTO ${STAGED} (key, hash) SELECT * FROM unnest($1::text[], $2::text[])`, [batch.map((pair) => pair.key), batch.map((pair) => pair.hash)]);
        options.onRows((rows += batch.length));
      }
    }
    checkCancelled();
    if (!source.uniqueKeys) {
      const [bad] = await session.query<{ key: string | null }>(`SELECT key FROM ${STAGED} GROUP BY key HAVING count(*) > 1 OR key IS NULL LIMIT 1`);
      if (bad?.key === null) throw syncFailure('source', `${what}: a row has no value in its key column`);
      if (bad) throw syncFailure('source', `${what}: key "${bad.key}" appears more than once (keys must be unique)`);
    }
    return new StagedChanges(session, rows);
  }

  /**
   * Compares the staged pairs with the state in one hash join, keeping only the keys that differ. `joinMemory`
   * (`work_mem` for this transaction only) lets a server hold a million pairs at once instead of spilling them to disk
   * in batches; PGlite, whose memory is this process's, keeps its default.
   */
  async classify(state: SyncState, joinMemory?: string): Promise<ChangeCounts> {
    if (joinMemory) await this.session.query(`SET LOCAL work_mem = ${sqlLiteral(joinMemory)}`);
    await this.createChanges();
    await this.session.query(
      `INSERT INTO ${CHANGES} (key, change)
       SELECT coalesce(s.key, t.key), CASE WHEN t.key IS NULL THEN 'insert' WHEN s.key IS NULL THEN 'delete' ELSE 'update' END
       FROM ${STAGED} s FULL JOIN (SELECT key, hash FROM ${state.table} WHERE sync_id = $1) t ON s.key = t.key
       WHERE s.hash IS DISTINCT FROM t.hash`,
      [state.syncId],
    );
    const rows = await this.session.query<{ change: Change; count: number }>(`SELECT change, count(*)::int AS count FROM ${CHANGES} GROUP BY change`);
    const count = (change: Change) => rows.find((row) => row.change === change)?.count ?? 0;
    return { total: this.total, inserted: count('insert'), updated: count('update'), gone: count('delete') };
  }

  /**
   * Classifies staged pairs that are only the source's changed rows (see ChangeTracking): every other source row is
   * known to be in the state unchanged, so only these keys are looked up. Rows gone from the source leave no row to
   * stage, so they show only as a count that does not add up; then this returns undefined and the caller compares
   * everything instead.
   */
  async classifyChanged(state: SyncState, sourceRows: number): Promise<ChangeCounts | undefined> {
    await this.createChanges();
    // Each staged key is looked up in the state's index (a scalar subquery per key, so no plan scans the whole state).
    const [{ known, inserted, updated }] = await this.session.query<{ known: number; inserted: number; updated: number }>(
      `WITH compared AS MATERIALIZED (
         SELECT s.key, s.hash, (SELECT t.hash FROM ${state.table} t WHERE t.sync_id = $1 AND t.key = s.key) AS saved FROM ${STAGED} s),
       changed AS (
         INSERT INTO ${CHANGES} (key, change) SELECT key, CASE WHEN saved IS NULL THEN 'insert' ELSE 'update' END FROM compared
         WHERE hash IS DISTINCT FROM saved RETURNING change)
       SELECT (SELECT count(*)::int FROM compared WHERE saved IS NOT NULL) AS known,
         (SELECT count(*)::int FROM changed WHERE change = 'insert') AS inserted, (SELECT count(*)::int FROM changed WHERE change = 'update') AS updated`,
      [state.syncId],
    );
    const gone = (await state.size()) - (sourceRows - this.total) - known;
    return gone === 0 ? { total: sourceRows, inserted, updated, gone } : undefined;
  }

  /** Drops what was staged, so the session can stage again. */
  async discard(): Promise<void> {
    await this.session.query(`DROP TABLE IF EXISTS ${STAGED}, ${CHANGES}`);
  }

  private async createChanges(): Promise<void> {
    await this.session.query(`CREATE TEMP TABLE ${CHANGES.slice('pg_temp.'.length)} (key text COLLATE "C" NOT NULL, change text NOT NULL) ON COMMIT DROP`);
  }

  /** The changed keys, in batches. */
  changes(batchSize: number): AsyncIterable<Array<{ key: string; change: Change }>> {
    return streamQuery(this.session, `SELECT key, change FROM ${CHANGES}`, [], batchSize);
  }

  /** The first few keys of one kind of change, in key order (a dry run shows them). */
  async sample(change: Change, limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    return (await this.session.query<{ key: string }>(`SELECT key FROM ${CHANGES} WHERE change = $1 ORDER BY key LIMIT $2`, [change, limit])).map((row) => row.key);
  }
}
