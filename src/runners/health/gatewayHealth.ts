import { DEFAULT_EXPECT_STATUS } from '../../core/defaults';
import { routeUrl, safeRoute } from '../gateway/gatewayAddress';
import type { NamedGateway } from '../gateway/gatewayNames';
import { routeFailure } from '../gateway/routeFailure';
import type { RequestAuthorizer } from '../http/requestAuthorizer';
import { DEFAULT_HEALTH_TIMEOUT_MS, worstState, type HealthResult, type ReachabilityCheck } from './healthResult';
import type { HealthProbeContext } from './healthProbeContext';
import { httpHealthCheck } from './httpHealthCheck';
import { resultOfChecks } from './resultOfChecks';
import { tcpConnectCheck } from './tcpConnectCheck';
import { tlsHandshakeCheck, type TlsHandshake } from './tlsHandshakeCheck';

/** A certificate this close to its end makes the gateway degraded: time to renew it. */
const CERTIFICATE_WARNING_DAYS = 14;

function certificateNote(certificate: NonNullable<TlsHandshake['certificate']>): string {
  const date = certificate.validTo.toISOString().slice(0, 10);
  return certificate.daysLeft < 0 ? `certificate expired ${date}` : `certificate expires ${date} (in ${certificate.daysLeft} days)`;
}

/**
 * The gateway: with `ssl`, a TLS handshake (the certificate's trust and expiry in the details); then a GET of
 * the first route that takes GET, authenticated as clients are, answering 200-399 (a 404, 405 or 401/403 named
 * as such). A gateway whose routes take no GET gets a TCP connect instead.
 */
export async function gatewayHealth({ gateway }: NamedGateway, auth: RequestAuthorizer | undefined, context: HealthProbeContext, signal: AbortSignal): Promise<HealthResult> {
  const timeoutMs = DEFAULT_HEALTH_TIMEOUT_MS;
  const address = { host: gateway.host, port: gateway.port };
  const checks: ReachabilityCheck[] = [];
  const notes: string[] = [];
  let certificate: TlsHandshake['certificate'];
  if (gateway.ssl) {
    const handshake = await tlsHandshakeCheck('tls', address, { timeoutMs, signal });
    checks.push(handshake.check);
    certificate = handshake.certificate;
  }
  const route = safeRoute(gateway, ['GET'])?.route;
  if (route) {
    // routeUrl throws for a host that makes no URL: the health target reports that as unhealthy.
    const check = await httpHealthCheck(`route ${route.path}`, routeUrl(gateway, route.path), { timeoutMs, expectStatus: DEFAULT_EXPECT_STATUS, auth, signal, dispatcher: context.dispatcher, secrets: gateway.secrets });
    const refusal = check.status === undefined ? undefined : routeFailure({ path: route.path, method: 'GET', service: route.service, status: check.status });
    checks.push(refusal ? { ...check, error: refusal.message } : check);
  } else {
    if (!gateway.ssl) checks.push(await tcpConnectCheck('connect', address, { timeoutMs, signal }));
    notes.push(`no route takes GET: ${gateway.ssl ? 'TLS handshake' : 'connection'} checked only`);
  }
  if (certificate) notes.unshift(certificateNote(certificate));
  const result = resultOfChecks(checks, { timeoutMs, secrets: gateway.secrets });
  const expiring = certificate !== undefined && certificate.daysLeft < CERTIFICATE_WARNING_DAYS;
  return { ...result, state: expiring ? worstState(result.state, 'degraded') : result.state, detail: [result.detail, ...notes].join('; ') };
}
