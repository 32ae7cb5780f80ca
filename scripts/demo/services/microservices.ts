import { createServer, type Server } from 'node:http';
import { jwtVerify } from 'jose';
import type { DemoPlan } from '../demoPlan';
import { bearerToken, sendJson } from './httpService';

/**
 * One service behind the gateway: its health path answers, anything else echoes what was asked. With the
 * gateway's `jwtSecret` it takes only requests with a valid JWT (401 otherwise), as a service behind a JWT
 * gateway does: nginx forwards the token, the service checks it.
 */
export function microservice(service: DemoPlan['services'][number], jwtSecret?: string): Server {
  const key = jwtSecret ? new TextEncoder().encode(jwtSecret) : undefined;
  return createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (service.healthPath && path === service.healthPath) return sendJson(response, 200, { status: 'ok', service: service.name });
    const answer = () => sendJson(response, 200, { service: service.name, method: request.method, path });
    if (!key) return answer();
    const token = bearerToken(request);
    if (!token) return sendJson(response, 401, { error: 'no bearer token' });
    jwtVerify(token, key, { requiredClaims: ['iss', 'sub', 'iat', 'exp'] }).then(answer, (error: Error) => sendJson(response, 401, { error: error.message }));
  });
}
