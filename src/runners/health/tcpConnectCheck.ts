import { connect } from 'node:net';
import { classifyError } from '../errors';
import { roundMs, type ReachabilityCheck } from './healthResult';

const DEFAULT_PORTS: Record<string, number> = {
  'http:': 80,
  'https:': 443,
  'ws:': 80,
  'wss:': 443,
  'amqp:': 5672,
  'amqps:': 5671,
  'postgres:': 5432,
  'postgresql:': 5432,
};
/** Addresses a server binds to "everywhere"; a client reaches them on loopback. */
const ANY_ADDRESS = new Set(['0.0.0.0', '::', '[::]', '']);

export interface HostPort {
  host: string;
  port: number;
}

/** Where a URL's server listens (the scheme's default port when it gives none). */
export function hostPortOf(url: URL): HostPort {
  const port = Number(url.port) || DEFAULT_PORTS[url.protocol];
  if (!port) throw new Error(`no port in ${url.protocol}// URL and no default for that scheme`);
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port };
}

/** A bind address as one to connect to. */
export function connectableHost(host: string): string {
  return ANY_ADDRESS.has(host) ? '127.0.0.1' : host;
}

/**
 * Opens a TCP connection and closes it at once: proves something listens
 * without sending a byte it could act on.
 */
export function tcpConnectCheck(name: string, address: HostPort, bounds: { timeoutMs: number; signal?: AbortSignal }): Promise<ReachabilityCheck> {
  const host = connectableHost(address.host);
  const target = `tcp ${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host, port: address.port });
    const finish = (error?: string) => {
      clearTimeout(timer);
      bounds.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve({
        name,
        target,
        ok: error === undefined,
        latencyMs: roundMs(performance.now() - started),
        ...(error === undefined ? {} : { error }),
      });
    };
    const onAbort = () => finish('cancelled');
    const timer = setTimeout(() => finish(`no connection within ${bounds.timeoutMs} ms`), bounds.timeoutMs);
    if (bounds.signal?.aborted) return finish('cancelled');
    bounds.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish());
    socket.once('error', (error) => finish(classifyError(error).message));
  });
}
