import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect, type Channel, type ChannelModel } from 'amqplib';
import { ClassifiedError } from '../../src/runners/errors';
import { QueueConnectionPool } from '../../src/runners/queue/queueConnectionPool';
import { ConsumerRunningError, QueueConsumers, type ConsumerChange, type ConsumerHandlerFailure } from '../../src/runners/queue/queueConsumers';
import { integrationFromYaml } from '../support/integrationFromYaml';
import { startRabbitMq, type RabbitMqBroker } from '../support/rabbitmq';

let broker: RabbitMqBroker;
let admin: ChannelModel;
let channel: Channel;

before(async () => {
  broker = await startRabbitMq();
  admin = await connect(broker.url);
  channel = await admin.createChannel();
});

after(async () => {
  await admin?.close();
  await broker?.stop();
});

/** The integration, its queues declared already: the test watches them before the connection has declared its topology (a passive declare of a missing queue would close the admin channel). */
async function bus(name: string) {
  for (const queue of ['orders', 'refunds']) await channel.assertQueue(`${name}_${queue}`, { durable: false });
  return integrationFromYaml(
    'message_queue',
    `integration:\n  type: message_queue\n  name: ${name}\n  connection_url: "${broker.url}"\n  timeout: 20s\n  queues:\n    - { name: ${name}_orders, durable: false }\n    - { name: ${name}_refunds, durable: false }\n`,
  );
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (const deadline = Date.now() + 15_000; !(await condition()); ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A registry on its own pool, both closed after `run`. */
async function withConsumers(run: (consumers: QueueConsumers) => Promise<void>): Promise<void> {
  const pool = new QueueConnectionPool();
  const consumers = new QueueConsumers(pool);
  try {
    await run(consumers);
  } finally {
    await consumers.dispose();
    await pool.close();
  }
}

const consumersOf = async (queue: string) => (await channel.checkQueue(queue)).consumerCount;
const send = (queue: string, body: unknown) => channel.sendToQueue(queue, Buffer.from(JSON.stringify(body)), { contentType: 'application/json' });

describe('QueueConsumers: running consumers keyed by integration/queue, on a real RabbitMQ', () => {
  it('starts consumers that receive messages, stops them, and announces each change', () =>
    withConsumers(async (consumers) => {
      const changes: ConsumerChange[] = [];
      consumers.onDidChange((change) => changes.push(change));
      const handled: unknown[] = [];
      const integration = await bus('shop');
      const orders = consumers.start(integration, 'shop_orders', (message) => void handled.push(message.body));
      consumers.start(integration, 'shop_refunds', () => undefined);
      assert.equal(orders.key, 'shop/shop_orders');
      await until(async () => (await consumersOf('shop_orders')) === 1 && (await consumersOf('shop_refunds')) === 1, 'both consumers on the broker');
      send('shop_orders', { order: 1 });
      await until(() => handled.length === 1, 'the delivery');
      assert.deepEqual(handled, [{ order: 1 }]);

      await consumers.stop('shop', 'shop_orders');
      await until(async () => (await consumersOf('shop_orders')) === 0, 'the consumer gone from the broker');
      assert.deepEqual(
        consumers.running().map(({ key }) => key),
        ['shop/shop_refunds'],
      );
      send('shop_orders', { order: 2 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(handled, [{ order: 1 }], 'a stopped consumer receives nothing');
      assert.deepEqual(
        changes.map(({ key, running }) => [key, running !== undefined]),
        [
          ['shop/shop_orders', true],
          ['shop/shop_refunds', true],
          ['shop/shop_orders', false],
        ],
      );
    }));

  it('refuses a second consumer of the same queue clearly, and an undeclared queue as a config error', () =>
    withConsumers(async (consumers) => {
      const integration = await bus('twice');
      consumers.start(integration, 'twice_orders', () => undefined);
      assert.throws(() => consumers.start(integration, 'twice_orders', () => undefined), (error: unknown) => error instanceof ConsumerRunningError && error.message === 'a consumer of queue "twice_orders" of twice is already running; stop it first');
      assert.throws(() => consumers.start(integration, 'nope', () => undefined), (error: unknown) => error instanceof ClassifiedError && error.kind === 'config');
      assert.equal(consumers.running().length, 1);
    }));

  it('passes on handler failures with the integration, and dispose stops every consumer', async () => {
    const pool = new QueueConnectionPool();
    const consumers = new QueueConsumers(pool);
    const failures: ConsumerHandlerFailure[] = [];
    consumers.onDidFailHandler((failure) => failures.push(failure));
    let attempts = 0;
    const integration = await bus('failing');
    consumers.start(integration, 'failing_orders', () => {
      if (++attempts === 1) throw new Error('first try fails');
    });
    consumers.start(integration, 'failing_refunds', () => undefined);
    await until(async () => (await consumersOf('failing_orders')) === 1, 'the consumer on the broker');
    send('failing_orders', { order: 1 });
    await until(() => attempts === 2, 'the redelivery');
    assert.deepEqual(
      failures.map(({ integration, queue, error }) => [integration, queue, error.message]),
      [['failing', 'failing_orders', 'first try fails']],
    );
    await consumers.dispose();
    assert.deepEqual(consumers.running(), []);
    await until(async () => (await consumersOf('failing_orders')) + (await consumersOf('failing_refunds')) === 0, 'every consumer gone from the broker');
    await pool.close();
  });
});
