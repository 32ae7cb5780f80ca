/**
 * The load the webhook receiver's hardening is measured under (test and bench alike): a receiver in a child
 * process, 1,000 connections parking unsigned 1 MB bodies, 1,000 parking signed requests whose bodies trickle
 * (1 byte / 2 s), and valid deliveries timed meanwhile.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SIGNATURE_SCHEMES } from '../../src/runners/webhook/signatureSchemes';
import { postHead, rawExchange, type RawExchange } from './rawHttpClient';

export const LOAD_SECRET = 'load-test-secret';
const YAML = `integration:
  type: webhook
  name: loaded
  endpoints:
    - { name: hook, secret: ${LOAD_SECRET} }
  receiver: { port: 0, max_body: 1MB }
`;
const BODY_BYTES = 1024 * 1024;
/** Connections opened at once: the listen backlog (511) is not overrun, so none waits for a SYN retry. */
const BATCH = 100;

export interface ReceiverProcess {
  port: number;
  path: string;
  /** The receiver process's peak resident memory so far, in MB. */
  peakRssMb(): Promise<number>;
  stop(): Promise<void>;
}

export async function startReceiverProcess(): Promise<ReceiverProcess> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'receiverChild.ts'), YAML], { cwd: join(__dirname, '..', '..') });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const line = await lines.next();
    if (line.done) throw new Error('the receiver process ended');
    return JSON.parse(line.value);
  };
  const { port, path } = (await nextLine()) as { port: number; path: string };
  return {
    port,
    path,
    peakRssMb: async () => {
      child.stdin.write('rss\n');
      return Math.round(((await nextLine()) as { maxRssKb: number }).maxRssKb / 1024);
    },
    stop: async () => {
      const closed = new Promise((resolve) => child.once('close', resolve));
      child.stdin.end();
      await closed;
    },
  };
}

async function openInBatches(count: number, open: () => RawExchange): Promise<RawExchange[]> {
  const all: RawExchange[] = [];
  for (let start = 0; start < count; start += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, count - start) }, open);
    await Promise.all(batch.map(({ socket }) => new Promise((resolve) => (socket.connecting ? socket.once('connect', resolve).once('error', resolve) : resolve(undefined)))));
    all.push(...batch);
  }
  return all;
}

/** Connections that announce 1 MB, carry no signature, and send the body without ever finishing it. */
export async function parkUnsignedBodies(receiver: ReceiverProcess, count: number): Promise<RawExchange[]> {
  const body = Buffer.alloc(BODY_BYTES - 1, 'u');
  return openInBatches(count, () => {
    const exchange = rawExchange(receiver.port, postHead(`${receiver.path}/hook`, BODY_BYTES));
    exchange.socket.on('error', () => undefined);
    exchange.socket.write(body);
    return exchange;
  });
}

/** Connections with a (wrong) signature header whose 1 MB body comes one byte every 2 s; `stop()` ends the trickle. */
export async function parkTricklingBodies(receiver: ReceiverProcess, count: number): Promise<{ exchanges: RawExchange[]; stop(): void }> {
  const head = postHead(`${receiver.path}/hook`, BODY_BYTES, { 'X-Hub-Signature-256': 'sha256=' + '0'.repeat(64) });
  const exchanges = await openInBatches(count, () => rawExchange(receiver.port, head));
  const trickle = setInterval(() => {
    for (const { socket } of exchanges) if (socket.writable) socket.write('t');
  }, 2000);
  return { exchanges, stop: () => clearInterval(trickle) };
}

/** Valid signed deliveries one after another (each body new, so none is a replay); each one's status and milliseconds from request to answer. */
export async function timeDeliveries(receiver: ReceiverProcess, count: number): Promise<Array<{ status: number; ms: number }>> {
  const timings: Array<{ status: number; ms: number }> = [];
  for (let index = 0; index < count; index++) {
    const body = JSON.stringify({ type: 'task_completed', data: { n: index, delivery: randomUUID() } });
    const headers = { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...SIGNATURE_SCHEMES.github.sign(body, LOAD_SECRET) };
    const started = performance.now();
    const status = await new Promise<number>((resolve, reject) => {
      const outgoing = request(`http://127.0.0.1:${receiver.port}${receiver.path}/hook`, { method: 'POST', headers, agent: false }, (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
      });
      outgoing.once('error', reject);
      outgoing.end(body);
    });
    timings.push({ status, ms: performance.now() - started });
  }
  return timings;
}

export function closeAll(exchanges: readonly RawExchange[]): void {
  for (const { socket } of exchanges) socket.destroy();
}
