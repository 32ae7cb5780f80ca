import { isIP } from 'node:net';
import { connect } from 'node:tls';
import { classifyError } from '../errors';
import { roundMs, type ReachabilityCheck } from './healthResult';
import { connectableHost, type HostPort } from './tcpConnectCheck';

const DAY_MS = 86_400_000;

export interface TlsHandshake {
  check: ReachabilityCheck;
  /** The server's certificate, when the handshake got that far. */
  certificate?: { validTo: Date; daysLeft: number };
}

/** What Node's verification codes mean, for a detail line. */
const TRUST_MESSAGES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate (trust it with NODE_EXTRA_CA_CERTS)',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in the chain (trust its CA with NODE_EXTRA_CA_CERTS)',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate issuer unknown (trust its CA with NODE_EXTRA_CA_CERTS)',
  CERT_HAS_EXPIRED: 'certificate expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate is not for this host',
};

/**
 * A TLS handshake with `host:port` and nothing sent after it: the certificate is read whether or not it is
 * trusted (so an untrusted or expired one is named, with its expiry), and the check passes only when it is
 * trusted and issued for the host. The SNI name is the host unless it is an IP address.
 */
export function tlsHandshakeCheck(name: string, address: HostPort, bounds: { timeoutMs: number; signal?: AbortSignal; now?: () => number }): Promise<TlsHandshake> {
  const host = connectableHost(address.host);
  const target = `tls ${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host, port: address.port, rejectUnauthorized: false, ...(isIP(host) ? {} : { servername: host }) });
    const finish = (error?: string, certificate?: TlsHandshake['certificate']) => {
      clearTimeout(timer);
      bounds.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      const check: ReachabilityCheck = { name, target, ok: error === undefined, latencyMs: roundMs(performance.now() - started), ...(error === undefined ? {} : { error }) };
      resolve(certificate ? { check, certificate } : { check });
    };
    const onAbort = () => finish('cancelled');
    const timer = setTimeout(() => finish(`no TLS handshake within ${bounds.timeoutMs} ms`), bounds.timeoutMs);
    if (bounds.signal?.aborted) return finish('cancelled');
    bounds.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate();
      const validTo = peer?.valid_to ? new Date(peer.valid_to) : undefined;
      const certificate = validTo && !Number.isNaN(validTo.getTime()) ? { validTo, daysLeft: Math.floor((validTo.getTime() - (bounds.now ?? Date.now)()) / DAY_MS) } : undefined;
      const refusal = socket.authorized ? undefined : String(socket.authorizationError ?? 'certificate not trusted');
      finish(refusal === undefined ? undefined : `handshake done, but ${TRUST_MESSAGES[refusal] ?? `certificate not trusted (${refusal})`}`, certificate);
    });
    socket.once('error', (error) => finish(classifyError(error).message));
  });
}
