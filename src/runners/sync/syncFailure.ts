import { ClassifiedError, classifyError, redact, runnerError, type ErrorKind, type RunnerError } from '../errors';

/**
 * Why a sync table failed, as the RunnerError's `code` (the CLI's `errorKind`): `config` (the settings), `connection`
 * (cannot connect), `source` (the source cannot be read as it is), `busy` (another run holds the sync), `database` (a
 * statement failed). A cancel has no code: it is `cancelledError` (kind `cancelled`), as for every runner.
 */
export type SyncFailureCode = 'config' | 'connection' | 'source' | 'busy' | 'database';

const KIND: Record<SyncFailureCode, ErrorKind> = {
  config: 'config',
  connection: 'transient',
  // A missing table, a duplicate key, unreadable files: something must change before a run can succeed.
  source: 'config',
  busy: 'transient',
  database: 'transient',
};

/** A failure a sync raises itself, to throw inside a run; the run returns it as a RunnerError. */
export function syncFailure(code: SyncFailureCode, message: string, kind: ErrorKind = KIND[code]): ClassifiedError {
  return new ClassifiedError(kind, message, code);
}

/** Stops a run whose signal aborted; the run reports it as `cancelledError`, whatever it was doing. */
export function syncCancelled(what: string): ClassifiedError {
  return new ClassifiedError('cancelled', `cancelled: ${what}`);
}

/** SQLSTATE classes (the first two characters) that say what a database error needs. */
const SQLSTATE_KINDS: Record<string, ErrorKind> = {
  '08': 'transient', // connection exception
  '28': 'auth', // invalid authorization
  '3D': 'config', // no such database
  '40': 'transient', // serialization failure, deadlock
  '53': 'transient', // out of resources
  '55': 'transient', // object in use, lock not available
  '57': 'transient', // cancelled by the server, shutdown
  '42': 'config', // undefined table or column, insufficient privilege
  '22': 'config', // a value the target column cannot hold
  '23': 'config', // a constraint of the target
};

/** The SQLSTATE of an error the server (PostgreSQL or PGlite) sent, if it is one. */
function sqlState(error: unknown): string | undefined {
  const { code, severity } = (error ?? {}) as { code?: unknown; severity?: unknown };
  return typeof code === 'string' && code.length === 5 && typeof severity === 'string' ? code : undefined;
}

/** The kind a failure to connect, or a failed statement, deserves. */
export function databaseErrorKind(error: unknown): ErrorKind {
  const state = sqlState(error);
  if (state) return SQLSTATE_KINDS[state.slice(0, 2)] ?? 'transient';
  return classifyError(error).kind;
}

/** Any failure of a sync (or of its health probe) as a plain RunnerError, redacted, on one line. */
export function syncRunnerError(error: unknown, secrets: string[]): RunnerError {
  const oneLine = (text: string) => redact(text.replace(/\s*\n\s*/g, '; '), secrets);
  if (error instanceof ClassifiedError) return runnerError(error.kind, oneLine(error.message), error.code);
  const message = error instanceof Error ? error.message : String(error);
  return runnerError(databaseErrorKind(error), oneLine(message), 'database');
}
