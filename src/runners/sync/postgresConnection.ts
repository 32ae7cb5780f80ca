import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client, type ClientConfig } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { ConnectionSettings } from '../../core/model';
import { raceAbort } from '../raceAbort';
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
  // Room for a sync's staged (key, hash) pairs in the session's own buffers: it can only be set before the session's
  // first temporary table, and the server takes the memory only as it is used. No JIT: the planner prices a sync's
  // lookups in temporary tables (which have no statistics) far too high and compiled them for 175 ms of a 330 ms
  // statement; the big scans gain nothing from it (their cost is hashing and I/O).
  const [{ pid }] = (
    await client.query<{ pid: number }>(`SELECT pg_backend_pid() AS pid, set_config('temp_buffers', '${TEMP_BUFFERS}', false), set_config('jit', 'off', false)`)
  ).rows;
  let queue: Promise<unknown> = Promise.resolve();
  /** Runs one transaction (or one query) after those before it: the session has one transaction at a time. */
  const inTurn = <T>(run: () => Promise<T>): Promise<T> => {
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  };
  /** Asks the server, over a second connection, to stop what this session runs; best effort. */
  const cancelRunning = async () => {
    const canceller = new Client(postgresClientConfig(settings, timeoutMs));
    canceller.on('error', () => undefined);
    try {
      await canceller.connect();
      await canceller.query('SELECT pg_cancel_backend($1)', [pid]);
    } catch {
      // Then the statement runs to its end, as it would without a signal.
    } finally {
      await canceller.end().catch(() => undefined);
    }
  };
  /** One statement that the signal cancels on the server (the session stays open and usable). */
  const cancellable = async <Row>(sql: string, params: unknown[] | undefined, signal: AbortSignal): Promise<Row[]> => {
    signal.throwIfAborted();
    let cancelling: Promise<void> | undefined;
    const onAbort = () => (cancelling = cancelRunning());
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await session.query<Row>(sql, params);
    } finally {
      signal.removeEventListener('abort', onAbort);
      // Holding the session's turn until the cancel has landed, so it cannot stop the next caller's statement.
      await cancelling;
    }
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
    query: (sql, params, signal) => (signal ? raceAbort(inTurn(() => cancellable(sql, params, signal)), signal) : inTurn(() => session.query(sql, params))),
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
