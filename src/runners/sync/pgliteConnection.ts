import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import type { ConnectionSettings } from '../../core/model';
import { raceAbort } from '../raceAbort';
import type { SqlConnection, SqlSession } from './sqlConnection';

/** Opens an embedded PGlite database in its data folder; PGlite is loaded only when a sync needs it. */
export async function openPglite(dataFolder: string): Promise<PGlite> {
  mkdirSync(dataFolder, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  return PGlite.create(dataFolder);
}

/** A connection over an open PGlite database; several connections may share one (same data folder). */
export function pgliteConnection(settings: ConnectionSettings, db: PGlite): SqlConnection {
  const query = async <Row>(sql: string, params?: unknown[]) => (await db.query<Row>(sql, params)).rows;
  return {
    name: settings.name,
    type: 'pglite',
    schema: settings.schema,
    handle: db,
    get usable() {
      return !db.closed;
    },
    // PGlite cannot interrupt a statement: a signal only stops the wait for it.
    query: (sql, params, signal) => raceAbort(query(sql, params), signal),
    // PGlite runs one transaction at a time and holds every other query until it ends.
    transaction: (work, options = {}) =>
      db.transaction(async (tx) => {
        if (options.snapshot) await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
        const session: SqlSession = { query: async <Row>(sql: string, params?: unknown[]) => (await tx.query<Row>(sql, params)).rows };
        const result = await work(session);
        if (options.rollback) await tx.rollback();
        return result;
      }),
    close: () => db.close(),
  };
}
