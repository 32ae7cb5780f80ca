import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** A port the demo needs is taken: says which, by whom it is expected, and what to do. */
export class PortInUseError extends Error {}

/** Listens on host:port, or fails with a message naming the port and its role. */
export function listenOn(server: Server, host: string, port: number, role: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new PortInUseError(`port ${port} on ${host} (${role}) is already in use: stop what listens there (a demo still serving?) and run again`));
      else reject(new Error(`cannot listen on ${host}:${port} (${role}): ${error.code ?? error.message}`));
    });
    server.listen(port, host, () => resolve());
  });
}

export async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

/** The bearer token of a request, if it sent one. */
export function bearerToken(request: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}
