import { createServer } from 'node:net';
import { freePort, rabbitMqInstalled, startRabbitMq, type RabbitMqBroker } from '../../../test/support/rabbitmq';
import type { Address } from '../demoPlan';

export type BrokerStart =
  | { kind: 'started'; broker: RabbitMqBroker; wantedPort: number; ms: number }
  | { kind: 'skipped'; reason: string };

async function portFree({ host, port }: Address): Promise<boolean> {
  const server = createServer();
  const free = await new Promise<boolean>((resolve) => server.once('error', () => resolve(false)).listen(port, host, () => resolve(true)));
  if (free) await new Promise((resolve) => server.close(resolve));
  return free;
}

/**
 * A private RabbitMQ node (the test suite's starter: own folder, cookie and
 * epmd, stopped with rabbitmqctl) on the port the queue integration names, or
 * on a free one when that port is taken (the caller then points RABBITMQ_URL at it).
 * Without Debian's rabbitmq-server the queue steps are skipped.
 */
export async function startDemoBroker(wanted: Address): Promise<BrokerStart> {
  if (!rabbitMqInstalled()) return { kind: 'skipped', reason: 'rabbitmq-server is not installed (apt-get install rabbitmq-server): queue steps skipped' };
  const started = performance.now();
  const port = (await portFree(wanted)) ? wanted.port : await freePort();
  const broker = await startRabbitMq({ port });
  return { kind: 'started', broker, wantedPort: wanted.port, ms: performance.now() - started };
}
