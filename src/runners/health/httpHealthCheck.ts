import { request, type Dispatcher } from 'undici';
import { formatStatusRanges } from '../../core/statusRanges';
import { classifyError, redact } from '../errors';
import type { RequestAuthorizer } from '../http/requestAuthorizer';
import { sharedAgent } from '../http/sharedAgent';
import { roundMs, type ReachabilityCheck } from './healthResult';

export interface HttpHealthCheckOptions {
  timeoutMs: number;
  /** Inclusive ranges of statuses that mean healthy. */
  expectStatus: ReadonlyArray<readonly [number, number]>;
  auth?: RequestAuthorizer;
  signal?: AbortSignal;
  dispatcher?: Dispatcher;
  /** Values to take out of messages and the shown URL. */
  secrets?: readonly string[];
}

/** How a reused connection the server had already closed fails. */
const STALE_CONNECTION_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/**
 * `GET url` once, with the timeout covering authorization, headers and body;
 * healthy when the status is in `expectStatus`. Not retried and not through
 * the circuit breaker: a health check observes the breaker, it does not feed it.
 */
export async function httpHealthCheck(name: string, url: URL, options: HttpHealthCheckOptions): Promise<ReachabilityCheck> {
  const secrets = options.secrets ?? [];
  const target = `GET ${redact(url.href, secrets)}`;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const started = performance.now();
  const failed = (error: string, status?: number): ReachabilityCheck => ({
    name,
    target,
    ok: false,
    latencyMs: roundMs(performance.now() - started),
    ...(status === undefined ? {} : { status }),
    error,
  });
  const headers: Record<string, string> = {};
  try {
    if (options.auth) {
      try {
        await options.auth.authorize(headers, signal);
      } catch (error) {
        if (timeout.aborted || options.signal?.aborted) throw error;
        return failed(`cannot authorize: ${classifyError(error, secrets).message}`);
      }
    }
    const send = () => request(url, { method: 'GET', headers, signal, dispatcher: options.dispatcher ?? sharedAgent() });
    let response: Dispatcher.ResponseData;
    try {
      response = await send();
    } catch (error) {
      // A kept-alive connection the server closed while idle (probes come an interval apart) fails before any
      // answer: that says nothing about the server, so the GET is sent once more.
      if (signal.aborted || !STALE_CONNECTION_CODES.has(classifyError(error).code ?? '')) throw error;
      response = await send();
    }
    // The body says nothing the status does not.
    await response.body.dump({ limit: 64 * 1024 });
    const status = response.statusCode;
    if (status === 401) options.auth?.invalidate();
    if (options.expectStatus.some(([low, high]) => status >= low && status <= high))
      return {
        name,
        target,
        ok: true,
        latencyMs: roundMs(performance.now() - started),
        status,
      };
    return failed(`answered ${status}, expected ${formatStatusRanges(options.expectStatus)}`, status);
  } catch (error) {
    if (options.signal?.aborted) return failed('cancelled');
    if (timeout.aborted) return failed(`no answer within ${options.timeoutMs} ms`);
    return failed(classifyError(error, secrets).message);
  }
}
