import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** `count` loopback HTTP servers that answer every request 200 `{"status":"ok"}`, with their ports. */
export async function startOkServers(count: number): Promise<{ servers: Server[]; ports: number[] }> {
  const servers: Server[] = [];
  for (let index = 0; index < count; index++) {
    const server = createServer((_request, response) => response.end('{"status":"ok"}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
  }
  return { servers, ports: servers.map((server) => (server.address() as AddressInfo).port) };
}
