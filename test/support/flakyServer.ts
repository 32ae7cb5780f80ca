/**
 * A real HTTP server on 127.0.0.1 that misbehaves on command: answer with a
 * status (and headers such as Retry-After), stall (never answer), reset the
 * connection, or follow a script per request. Every request is recorded.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Behaviour =
  | { status: number; body?: unknown; headers?: Record<string, string>; delayMs?: number }
  /** Accept the request and never answer. */
  | 'stall'
  /** Destroy the socket without answering (ECONNRESET / "other side closed" for the client). */
  | 'reset';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** performance.now() when the request arrived. */
  at: number;
}

/** Chooses the behaviour for the n-th request (0-based). */
export type Script = (request: ReceivedRequest, index: number) => Behaviour;

export const ok = (body: unknown = { ok: true }): Behaviour => ({ status: 200, body });

/** The behaviours in turn, the last one repeating. */
export function sequence(...behaviours: Behaviour[]): Script {
  return (_request, index) => behaviours[Math.min(index, behaviours.length - 1)];
}

/** Alternates between two behaviours, `period` requests each: a flapping service. */
export function flapping(up: Behaviour, down: Behaviour, period = 1): Script {
  return (_request, index) => (Math.floor(index / period) % 2 === 0 ? up : down);
}

export class FlakyServer {
  readonly requests: ReceivedRequest[] = [];
  /** The most requests that were being handled at the same time. */
  maxInFlight = 0;
  private inFlight = 0;
  private script: Script = () => ok();
  private readonly sockets = new Set<Socket>();
  private readonly stalled = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<FlakyServer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const flaky = new FlakyServer(server, (server.address() as AddressInfo).port);
    server.on('connection', (socket) => {
      flaky.sockets.add(socket);
      socket.on('close', () => flaky.sockets.delete(socket));
    });
    server.on('request', (request, response) => flaky.handle(request, response));
    return flaky;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Sets how the next requests are answered and forgets the requests seen so far. */
  respond(script: Script | Behaviour): void {
    this.script = typeof script === 'function' ? script : () => script;
    this.requests.length = 0;
    this.maxInFlight = 0;
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    response.on('close', () => this.inFlight--);
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const received: ReceivedRequest = { method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), at: performance.now() };
      const behaviour = this.script(received, this.requests.length);
      this.requests.push(received);
      if (behaviour === 'stall') {
        this.stalled.add(response);
        response.on('close', () => this.stalled.delete(response));
        return;
      }
      if (behaviour === 'reset') {
        request.socket.destroy();
        return;
      }
      const send = () => {
        const body = behaviour.body === undefined ? '' : typeof behaviour.body === 'string' ? behaviour.body : JSON.stringify(behaviour.body);
        const type = typeof behaviour.body === 'string' ? 'text/plain' : 'application/json';
        response.writeHead(behaviour.status, { 'content-type': type, ...behaviour.headers });
        response.end(body);
      };
      if (behaviour.delayMs) setTimeout(send, behaviour.delayMs);
      else send();
    });
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
