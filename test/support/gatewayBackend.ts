import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errors, jwtVerify } from 'jose';

/** How a backend checks its caller: a JWT (signature, algorithm and claims) or an API key header. */
export type BackendAuth = { type: 'jwt'; secret: string; algorithms?: string[]; issuer?: string; subjects?: string[] } | { type: 'api_key'; header: string; key: string } | { type: 'none' };

export interface ReceivedRequest {
  method: string;
  path: string;
  /** The verified token's claims (jwt). */
  claims?: Record<string, unknown>;
}

export interface GatewayBackend {
  readonly name: string;
  /** `http://127.0.0.1:PORT`, for the gateway's proxy_pass. */
  readonly upstream: string;
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** The longest life a token may have: the runner's tokens are short-lived. */
const MAX_TOKEN_LIFE_S = 600;

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** 401 for no or a bad credential (wrong signature, expired, missing claims), 403 for a valid token of the wrong subject or issuer. */
async function refusal(auth: BackendAuth, request: IncomingMessage, received: ReceivedRequest): Promise<[number, string] | undefined> {
  if (auth.type === 'none') return undefined;
  if (auth.type === 'api_key') return request.headers[auth.header.toLowerCase()] === auth.key ? undefined : [401, 'bad or missing API key'];
  const header = request.headers.authorization ?? '';
  if (!header.startsWith('Bearer ')) return [401, 'no bearer token'];
  try {
    const { payload } = await jwtVerify(header.slice(7), new TextEncoder().encode(auth.secret), {
      algorithms: auth.algorithms ?? ['HS256'],
      requiredClaims: ['iss', 'sub', 'iat', 'exp'],
    });
    received.claims = payload;
    if (payload.exp! - payload.iat! > MAX_TOKEN_LIFE_S) return [403, `token lives ${payload.exp! - payload.iat!} s, over ${MAX_TOKEN_LIFE_S} s`];
    if (auth.issuer && payload.iss !== auth.issuer) return [403, `issuer ${payload.iss} not accepted`];
    if (auth.subjects && !auth.subjects.includes(String(payload.sub))) return [403, `subject ${payload.sub} not allowed`];
    return undefined;
  } catch (error) {
    return [401, error instanceof errors.JOSEError ? `${error.code}: ${error.message}` : String(error)];
  }
}

/**
 * A service behind the test gateway on 127.0.0.1: it checks the caller's credential with `jose` (as a real
 * service behind a JWT gateway would), records each request and answers 200 with what it got.
 */
export async function startGatewayBackend(name: string, auth: BackendAuth): Promise<GatewayBackend> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((request, response) => {
    const received: ReceivedRequest = { method: request.method ?? 'GET', path: (request.url ?? '/').split('?')[0] };
    request.resume();
    request.once('end', () => {
      void refusal(auth, request, received).then((refused) => {
        requests.push(received);
        if (refused) return send(response, refused[0], { error: refused[1] });
        send(response, 200, { service: name, method: received.method, path: received.path });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    name,
    upstream: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
