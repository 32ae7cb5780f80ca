import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { cancelledError, classifyError, runnerError, type RunnerError } from '../errors';
import { connectableHost } from '../health/tcpConnectCheck';

/** What one request of a burst got: a status, or why none came. */
type BurstAnswer = { status: number } | { error: RunnerError };

export interface BurstOptions {
  /** For each connection, and for each request's answer. */
  timeoutMs: number;
  signal?: AbortSignal;
  secrets: readonly string[];
}

/** A connection, TLS included, ready before any request is written. */
function openConnection(url: URL, signal: AbortSignal): Promise<Socket> {
  const host = connectableHost(url.hostname.replace(/^\[(.*)\]$/, '$1'));
  const secure = url.protocol === 'https:';
  const port = Number(url.port) || (secure ? 443 : 80);
  return new Promise((resolve, reject) => {
    const socket = secure ? tlsConnect({ host, port, ALPNProtocols: ['http/1.1'], ...(isIP(host) ? {} : { servername: host }) }) : netConnect({ host, port });
    const onAbort = () => fail(signal.reason);
    const fail = (error: unknown) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      signal.removeEventListener('abort', onAbort);
      socket.removeListener('error', fail);
      resolve(socket);
    });
    socket.once('error', fail);
  });
}

/** One request on its own open connection; its body is read and dropped. */
function sendOn(socket: Socket, url: URL, method: string, headers: Record<string, string>, signal: AbortSignal): Promise<number> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(url, { method, headers, signal, createConnection: () => socket }, (response: IncomingMessage) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode ?? 0));
      response.once('error', reject);
    });
    outgoing.once('error', reject);
    outgoing.end();
  });
}

/**
 * `headers.length` requests that reach the server at once: every connection (and TLS handshake) is opened
 * first, then all requests are written in one go, so connection setup on a busy machine does not spread them
 * over time (a rate limiter refilling meanwhile would let them all through). `sendMs` runs from the first
 * write to the last answer. Never throws: each slot has a status or its failure.
 */
export async function sendAtOnce(url: URL, method: string, headers: Record<string, string>[], options: BurstOptions): Promise<{ answers: BurstAnswer[]; sendMs: number }> {
  const failure = (error: unknown, timeout: AbortSignal): BurstAnswer => {
    if (options.signal?.aborted) return { error: cancelledError('the rate-limit burst') };
    if (timeout.aborted) return { error: runnerError('timeout', `no answer within ${options.timeoutMs} ms`, 'timeout') };
    return { error: classifyError(error, options.secrets) };
  };
  const bounded = () => {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    return { timeout, signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout };
  };
  const connecting = bounded();
  const sockets = await Promise.allSettled(headers.map(() => openConnection(url, connecting.signal)));
  const started = performance.now();
  const answering = bounded();
  try {
    const answers = await Promise.all(
      sockets.map(async (opened, index): Promise<BurstAnswer> => {
        if (opened.status === 'rejected') return failure(opened.reason, connecting.timeout);
        try {
          return { status: await sendOn(opened.value, url, method, headers[index], answering.signal) };
        } catch (error) {
          return failure(error, answering.timeout);
        }
      }),
    );
    return { answers, sendMs: performance.now() - started };
  } finally {
    for (const opened of sockets) if (opened.status === 'fulfilled') opened.value.destroy();
  }
}
