import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client, type ClientConfig } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { ConnectionSettings } from '../../core/model';
import type { SqlConnection, SqlSession, TransactionOptions } from './sqlConnection';

const TEMP_BUFFERS = '128MB';

/** `pg` settings from a connection: `url`, or host/port/database/user/password; `ssl` verifies the server. */
export function postgresClientConfig(settings: ConnectionSettings, timeoutMs: number): ClientConfig {
  const common: ClientConfig = { connectionTimeoutMillis: timeoutMs, ssl: settings.ssl ? { rejectUnauthorized: true } : undefined, application_name: 'simone-integrations' };
  if (settings.url) return { ...common, connectionString: settings.url };
  return { ...common, host: settings.host ?? '127.0.0.1', port: settings.port ?? 5432, database: settings.database, user: settings.user, password: settings.password };
}

/** Opens one session on a PostgreSQL server; transactions on it run one after another. */
export async function openPostgresConnection(settings: ConnectionSettings, timeoutMs: number): Promise<SqlConnection> {
  const client = new Client(postgresClientConfig(settings, timeoutMs));
  let usable = true;
  // A dropped connection surfaces as the next query's error; without a listener it would end the process.
  client.on('error', () => (usable = false));
  client.on('end', () => (usable = false));
  await client.connect();
  // Room for a sync's staged (key, hash) pairs in the session's own buffers; it can only be set before the session's
  // first temporary table, and the server takes the memory only as it is used.
  await client.query(`SET temp_buffers = '${TEMP_BUFFERS}'`);
  let queue: Promise<unknown> = Promise.resolve();
  /** Runs one transaction (or one query) after those before it: the session has one transaction at a time. */
  const inTurn = <T>(run: () => Promise<T>): Promise<T> => {
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  };
  const session: SqlSession = {
    query: async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[],
    copyOut(sql) {
      const copy = client.query(copyTo(sql));
      const out = new PassThrough();
      copy.on('error', (error) => out.destroy(error));
      copy.pipe(out);
      // A COPY stopped half way would leave the session stuck in it: when the reader goes away, drain the rest.
      out.on('close', () => {
        copy.unpipe(out);
        copy.resume();
      });
      return out;
    },
    copyIn: (sql, data) => pipeline(data, client.query(copyFrom(sql))),
  };
  return {
    name: settings.name,
    type: 'postgresql',
    schema: settings.schema,
    handle: client,
    get usable() {
      return usable;
    },
    // Outside a transaction a query waits its turn too, so it never lands inside another caller's transaction.
    query: (sql, params) => inTurn(() => session.query(sql, params)),
    transaction<T>(work: (session: SqlSession) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
      return inTurn(async () => {
        await client.query(options.snapshot ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
        try {
          const result = await work(session);
          await client.query(options.rollback ? 'ROLLBACK' : 'COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      });
    },
    close: () => client.end(),
  };
}
