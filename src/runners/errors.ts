/**
 * What went wrong in a runner, said once for every runner: a kind the UI can
 * group by, a severity and a one-line message with every secret removed.
 */
import type { Integration } from '../core/model';
import { MASK, Redactor } from '../core/redactor';

export type ErrorKind = 'transient' | 'timeout' | 'auth' | 'config' | 'remote-4xx' | 'remote-5xx' | 'cancelled';
export type ErrorSeverity = 'error' | 'warning';

export interface RunnerError {
  kind: ErrorKind;
  /** `warning` when trying again later may well succeed, `error` when something must change first. */
  severity: ErrorSeverity;
  /** One line, redacted. */
  message: string;
  /** The low-level code (`ECONNRESET`, `UND_ERR_SOCKET`, `503`) when there is one: `error.type` in spans. */
  code?: string;
}

const SEVERITY: Record<ErrorKind, ErrorSeverity> = {
  transient: 'warning',
  timeout: 'warning',
  auth: 'error',
  config: 'error',
  'remote-4xx': 'error',
  'remote-5xx': 'error',
  cancelled: 'warning',
};

/** A failure the runner raises itself, already classified (bad config, rejected by a local policy, timed out). */
export class ClassifiedError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export function runnerError(kind: ErrorKind, message: string, code?: string): RunnerError {
  return code === undefined ? { kind, severity: SEVERITY[kind], message } : { kind, severity: SEVERITY[kind], message, code };
}

/** The caller's signal aborted: the one spelling of "cancelled" (`what` says what was stopped). */
export function cancelledError(what?: string): RunnerError {
  return runnerError('cancelled', what ? `cancelled: ${what}` : 'cancelled');
}

export function classifyStatus(status: number): ErrorKind | undefined {
  if (status === 401 || status === 403) return 'auth';
  if (status === 408) return 'timeout';
  if (status === 429) return 'transient';
  if (status >= 500) return 'remote-5xx';
  if (status >= 400) return 'remote-4xx';
  return undefined;
}

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const CONFIG_CODES = new Set(['UND_ERR_INVALID_ARG', 'ERR_INVALID_URL', 'ERR_INVALID_ARG_TYPE', 'ERR_TLS_CERT_ALTNAME_INVALID', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_HAS_EXPIRED']);

const CONNECTION_MESSAGES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  EPIPE: 'connection closed while sending',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed (try again)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'the server closed the connection',
  UND_ERR_CLOSED: 'the connection was closed',
};

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  // undici wraps the socket error in `cause`; the innermost code says most.
  for (let depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    const inner = cause && typeof cause === 'object' ? (cause as { code?: unknown }).code : undefined;
    if (typeof inner === 'string') {
      current = cause;
      continue;
    }
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** Any thrown value as a classified, redacted runner error. */
export function classifyError(error: unknown, secrets: Iterable<string> = []): RunnerError {
  const raw = error instanceof Error ? error.message : String(error);
  const message = redact(raw.split('\n')[0] || 'unknown error', secrets);
  if (error instanceof ClassifiedError) return runnerError(error.kind, message, error.code);
  const code = errorCode(error);
  if (code && TIMEOUT_CODES.has(code)) return runnerError('timeout', `timed out (${message})`, code);
  if (code && CONFIG_CODES.has(code)) return runnerError('config', message, code);
  if (code && CONNECTION_MESSAGES[code]) return runnerError('transient', CONNECTION_MESSAGES[code], code);
  if (error instanceof Error && (error.name === 'AbortError' || code === 'ABORT_ERR' || code === 'UND_ERR_ABORTED')) return cancelledError();
  return runnerError('transient', message, code);
}

/** Query parameters that carry credentials, by name: a second line of defence for values the model did not see. */
const SECRET_QUERY_PARAMS = ['access_token', 'api_key', 'apikey', 'client_secret', 'password', 'secret', 'signature', 'sig', 'token', 'key'];
const SECRET_QUERY = new RegExp(`([?&;](?:${SECRET_QUERY_PARAMS.join('|')})=)[^&#\\s"'<>]*`, 'gi');
/** Userinfo in any URL: `scheme://user:pass@host`, `scheme://token@host`. */
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/?#@\s"'<>]+@/gi;

/**
 * `text` with every known secret value (and its encoded forms, see `Redactor`), URL userinfo
 * and credential query parameters replaced by `***`.
 */
export function redact(text: string, secrets: Iterable<string> = []): string {
  let result = new Redactor(secrets).redact(text);
  // Cheap guards first: most texts hold neither.
  if (result.includes('@')) result = result.replace(URL_USERINFO, `$1${MASK}@`);
  if (result.includes('=')) result = result.replace(SECRET_QUERY, `$1${MASK}`);
  return result;
}

/** Every secret value an integration's config holds, for `redact`: collected from the schema by the model builder. */
export function integrationSecrets(integration: Integration): string[] {
  return [...integration.secrets];
}
