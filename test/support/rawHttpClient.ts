/**
 * An HTTP/1.1 client on a bare TCP socket, for what real clients do and node:http hides: a body that trickles,
 * a body written whole before the answer is read, headers that never end. It records every byte of the answer
 * and how the connection ended (the server's FIN, or a reset).
 */
import { connect, type Socket } from 'node:net';

export interface RawExchange {
  readonly socket: Socket;
  /** Everything the server sent so far. */
  readonly answer: () => string;
  /** Resolves once the server sent a complete status line and headers. */
  readonly answered: Promise<string>;
  /** Resolves when the connection is gone: `reset` when it ended with an error (ECONNRESET, EPIPE) before the answer was read. */
  readonly ended: Promise<{ error?: string }>;
}

/** Opens a connection to 127.0.0.1:`port` and writes `head` (request line and headers, up to the blank line or not). */
export function rawExchange(port: number, head: string): RawExchange {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  let onAnswered: (text: string) => void;
  const answered = new Promise<string>((resolve) => (onAnswered = resolve));
  const ended = new Promise<{ error?: string }>((resolve) => {
    socket.once('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    socket.once('close', () => resolve({}));
  });
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => {
    received += chunk;
    if (received.includes('\r\n\r\n')) onAnswered(received);
  });
  socket.write(head);
  return { socket, answer: () => received, answered, ended };
}

/** The head of a POST with a declared body length. */
export function postHead(path: string, contentLength: number, headers: Record<string, string> = {}): string {
  const lines = [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Content-Type: application/json', `Content-Length: ${contentLength}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  return lines.join('\r\n') + '\r\n\r\n';
}

/** The status code of an answer such as `HTTP/1.1 413 Payload Too Large`. */
export function statusOf(answer: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
}

/** The JSON body after the blank line. */
export function jsonBodyOf(answer: string): unknown {
  return JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
}
