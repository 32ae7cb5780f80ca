import { quoteIdentifier, type SqlSession } from './sqlConnection';

let cursorCount = 0;

/**
 * Streams a query's rows in batches through a server-side cursor, so memory stays flat whatever the table size.
 * The session must be inside a transaction (cursors live in one).
 */
export async function* streamQuery<Row>(session: SqlSession, sql: string, params: unknown[], batchSize: number): AsyncGenerator<Row[]> {
  const cursor = quoteIdentifier(`simone_cursor_${++cursorCount}`);
  await session.query(`DECLARE ${cursor} NO SCROLL CURSOR FOR ${sql}`, params);
  try {
    for (;;) {
      const rows = await session.query<Row>(`FETCH FORWARD ${batchSize} FROM ${cursor}`);
      if (rows.length === 0) return;
      yield rows;
      if (rows.length < batchSize) return;
    }
  } finally {
    await session.query(`CLOSE ${cursor}`).catch(() => undefined);
  }
}
