import { createServer, request as httpRequest, type Server } from 'node:http';
import type { DemoPlan } from '../demoPlan';
import { sendJson } from './httpService';

/** One service behind the gateway: its health path answers, anything else echoes what was asked. */
export function microservice(service: DemoPlan['services'][number]): Server {
  return createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (service.healthPath && path === service.healthPath) return sendJson(response, 200, { status: 'ok', service: service.name });
    sendJson(response, 200, { service: service.name, method: request.method, path });
  });
}

/**
 * A minimal gateway: each route's path prefix is forwarded to its service,
 * other methods get 405 and other paths 404. It does not check the
 * configured JWT; the demo only shows that it listens where the config says.
 */
export function apiGateway(gateway: NonNullable<DemoPlan['gateway']>): Server {
  return createServer((request, response) => {
    const path = request.url ?? '/';
    const route = gateway.routes.find((candidate) => path === candidate.path || path.startsWith(`${candidate.path}/`) || path.startsWith(`${candidate.path}?`));
    if (!route || !route.target) return sendJson(response, 404, { error: `no route for ${path}` });
    if (!route.methods.includes(request.method ?? 'GET')) return sendJson(response, 405, { error: `${request.method} is not allowed on ${route.path}` }, { allow: route.methods.join(', ') });
    const upstream = httpRequest(new URL(path, route.target), { method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    upstream.once('error', (error) => sendJson(response, 502, { error: `${route.path}: ${error.message}` }));
    request.pipe(upstream);
  });
}
