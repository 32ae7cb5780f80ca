import { createConnection, createServer, type Socket } from 'node:net';

/** An AMQP method frame the client sent: `classId`/`methodId` as in the spec (20/10 channel.open, 20/40 channel.close, 10/50 connection.close). */
export interface ClientMethod {
  channel: number;
  classId: number;
  methodId: number;
}

/**
 * A TCP proxy on 127.0.0.1 in front of a broker that can hold every byte in
 * both directions (a broker that stops answering) and let them through later,
 * and that reads the method frames the client sends.
 */
export interface AmqpProxy {
  readonly port: number;
  /** The client connections accepted so far. */
  readonly accepted: number;
  readonly clientMethods: readonly ClientMethod[];
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

const PROTOCOL_HEADER_BYTES = 8;
const FRAME_METHOD = 1;

/** Splits the client's byte stream into frames and records its method frames. */
function methodReader(record: (method: ClientMethod) => void): (chunk: Buffer) => void {
  let pending = Buffer.alloc(0);
  let headerSeen = false;
  return (chunk) => {
    pending = Buffer.concat([pending, chunk]);
    if (!headerSeen) {
      if (pending.length < PROTOCOL_HEADER_BYTES) return;
      pending = pending.subarray(PROTOCOL_HEADER_BYTES);
      headerSeen = true;
    }
    // type (1), channel (2), payload size (4), payload, frame end (1)
    while (pending.length >= 7 && pending.length >= 8 + pending.readUInt32BE(3)) {
      const size = pending.readUInt32BE(3);
      if (pending[0] === FRAME_METHOD) record({ channel: pending.readUInt16BE(1), classId: pending.readUInt16BE(7), methodId: pending.readUInt16BE(9) });
      pending = pending.subarray(8 + size);
    }
  };
}

export async function startAmqpProxy(brokerPort: number): Promise<AmqpProxy> {
  let held = false;
  let accepted = 0;
  const clientMethods: ClientMethod[] = [];
  const sockets = new Set<Socket>();
  const flushes = new Set<() => void>();

  /** Forwards `from` to `to`; while held, what arrives (and its end) waits for release. */
  const forward = (from: Socket, to: Socket, onData?: (chunk: Buffer) => void) => {
    const queued: Buffer[] = [];
    let ended = false;
    const flush = () => {
      for (const chunk of queued.splice(0)) to.write(chunk);
      if (ended) to.end();
    };
    from.on('data', (chunk) => {
      onData?.(chunk);
      queued.push(chunk);
      if (!held) flush();
    });
    from.on('end', () => {
      ended = true;
      if (!held) flush();
    });
    flushes.add(flush);
    from.on('close', () => flushes.delete(flush));
  };

  const server = createServer((client) => {
    accepted++;
    const upstream = createConnection({ host: '127.0.0.1', port: brokerPort });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    forward(client, upstream, methodReader((method) => clientMethods.push(method)));
    forward(upstream, client);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the proxy has no port');
  return {
    port: address.port,
    get accepted() {
      return accepted;
    },
    clientMethods,
    hold: () => {
      held = true;
    },
    release: () => {
      held = false;
      for (const flush of flushes) flush();
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
