import type { Readable } from 'node:stream';

/** One database session: what the sync runner and the health probe need from PostgreSQL or PGlite alike. */
export interface SqlSession {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /**
   * PostgreSQL only: the bytes of `COPY (…) TO STDOUT`. Stopping early is allowed: the rest is read and dropped, so
   * the session finishes its COPY and takes the next query.
   */
  copyOut?(sql: string): Readable;
  /** PostgreSQL only: feeds `COPY … FROM STDIN`; if `data` fails, the COPY fails and writes nothing. */
  copyIn?(sql: string, data: AsyncIterable<Buffer>): Promise<void>;
}

export interface TransactionOptions {
  /** Roll back at the end instead of committing (a dry run). */
  rollback?: boolean;
  /** A read-only snapshot that stays the same for the whole transaction (for reading a source). */
  snapshot?: boolean;
}

/** A named connection of a `database` integration, opened. */
export interface SqlConnection extends SqlSession {
  readonly name: string;
  readonly type: 'postgresql' | 'pglite';
  /** The schema its tables live in (`schema:` of the connection). */
  readonly schema: string;
  /** The underlying client: connections with the same handle share one session (and one transaction at a time). */
  readonly handle: object;
  /**
   * One statement outside any transaction (it waits for a running one). `signal` gives up waiting and, on
   * PostgreSQL, cancels the statement on the server; PGlite cannot interrupt a statement, which runs to its end.
   */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[], signal?: AbortSignal): Promise<Row[]>;
  /** False once the session is gone (the server restarted or dropped it): open a new connection instead. */
  readonly usable: boolean;
  /** Runs `work` in one transaction: committed when it returns, rolled back when it throws (or when asked). */
  transaction<T>(work: (session: SqlSession) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
}

export const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;
export const qualifiedName = (schema: string, table: string): string => `${quoteIdentifier(schema)}.${quoteIdentifier(table)}`;
