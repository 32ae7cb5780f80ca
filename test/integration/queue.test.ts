import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connect } from 'amqplib';
import { ClassifiedError } from '../../src/runners/errors';
import { QueueConnection, type QueueConnectionState } from '../../src/runners/queue/queueConnection';
import type { QueueMessage } from '../../src/runners/queue/queueMessage';
import { inspectQueues } from '../../src/runners/queue/queueOperations';
import { startAmqpProxy } from '../support/amqpProxy';
import { integrationFromYaml } from '../support/integrationFromYaml';
import { startRabbitMq, type RabbitMqBroker } from '../support/rabbitmq';

// One broker for the whole file: starting one takes seconds.
let broker: RabbitMqBroker;
const connections: QueueConnection[] = [];

function queueIntegration(url: string, queues: string, extra = '') {
  return integrationFromYaml(
    'message_queue',
    `integration:
  type: message_queue
  name: orders_bus
  connection_url: "${url}"
  timeout: 20s
  retry: { max_attempts: 4, base_delay: 100ms, max_delay: 500ms }
${extra}
  queues:
${queues}`,
  );
}

function open(url: string, queues: string, extra = '', reconnect = true): QueueConnection {
  const connection = new QueueConnection(queueIntegration(url, queues, extra), { reconnect, heartbeatSeconds: 5 });
  connections.push(connection);
  return connection;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

before(async () => {
  broker = await startRabbitMq();
});

after(async () => {
  await Promise.all(connections.map((connection) => connection.close()));
  await broker?.stop();
});

describe('message queue runner against a real RabbitMQ', () => {
  test('declares the configured exchanges, queues and bindings', async () => {
    const queues = open(broker.url, `    - { name: topo_orders, exchange: topo_events, exchange_type: topic, routing_key: "orders.*" }\n    - { name: topo_plain, durable: false }`);
    await queues.whenConnected();
    const raw = await connect(broker.url);
    try {
      const channel = await raw.createChannel();
      await channel.checkExchange('topo_events');
      assert.equal((await channel.checkQueue('topo_plain')).messageCount, 0);
      // The binding routes a key matching the pattern to the queue.
      channel.publish('topo_events', 'orders.created', Buffer.from('{"n":1}'));
      let got = false;
      for (let tries = 0; tries < 50 && !got; tries++) {
        got = Boolean(await channel.get('topo_orders', { noAck: true }));
        if (!got) await sleep(20);
      }
      assert.ok(got, 'a message published with a matching routing key reached the bound queue');
    } finally {
      await raw.close();
    }
  });

  test('publish resolves after the confirm, peek leaves the messages where they are', async () => {
    const queues = open(broker.url, `    - { name: peek_orders, exchange: peek_events, exchange_type: direct, routing_key: order }`);
    const first = await queues.publish('peek_orders', { order: 1 }, { headers: { 'x-origin': 'test' }, messageId: 'order-1' });
    assert.deepEqual({ ...first, durationMs: 0 }, { queue: 'peek_orders', exchange: 'peek_events', routingKey: 'order', messageId: 'order-1', durationMs: 0 });
    await queues.publish('peek_orders', { order: 2 });
    assert.equal((await queues.inspect('peek_orders')).messageCount, 2);

    const peeked = await queues.peek('peek_orders', { count: 5 });
    assert.deepEqual(
      peeked.map((message) => message.body),
      [{ order: 1 }, { order: 2 }],
    );
    assert.equal(peeked[0].properties.messageId, 'order-1');
    assert.equal(peeked[0].properties.headers['x-origin'], 'test');
    assert.equal(peeked[0].properties.persistent, true);
    assert.equal(peeked[0].redelivered, false);
    assert.equal((await queues.inspect('peek_orders')).messageCount, 2, 'peek requeued both');

    const again = await queues.peek('peek_orders');
    assert.equal(again.length, 1);
    assert.deepEqual(again[0].body, { order: 1 }, 'the head of the queue is still the first message');
    assert.equal(again[0].redelivered, true);
  });

  test('an unknown queue is a config error with a suggestion, before any network', async () => {
    const queues = open('amqp://guest:guest@127.0.0.1:1', `    - { name: invoices }`);
    await assert.rejects(queues.publish('invoice', {}), (error: ClassifiedError) => error.kind === 'config' && /no queue "invoice".*Did you mean "invoices"/.test(error.message));
    assert.equal(queues.state, 'idle');
  });

  test('consume acknowledges after the handler, never more than prefetch in flight', async () => {
    const queues = open(broker.url, `    - { name: work_items }`);
    for (let n = 0; n < 8; n++) await queues.publish('work_items', { n });
    let inFlight = 0;
    let maxInFlight = 0;
    const handled: number[] = [];
    const consumer = queues.consume(
      'work_items',
      async (message) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await sleep(30);
        handled.push((message.body as { n: number }).n);
        inFlight--;
      },
      { prefetch: 3 },
    );
    await until(() => handled.length === 8, 'eight handled messages');
    await consumer.cancel();
    assert.deepEqual(
      handled.sort((a, b) => a - b),
      [0, 1, 2, 3, 4, 5, 6, 7],
    );
    assert.equal(maxInFlight, 3, 'prefetch bounds the unacknowledged deliveries');
    const depth = await queues.inspect('work_items');
    assert.deepEqual(depth, { queue: 'work_items', messageCount: 0, consumerCount: 0 }, 'all acknowledged, consumer gone');
  });

  test('a failing handler puts the message back; it is redelivered', async () => {
    const queues = open(broker.url, `    - { name: flaky_items }`);
    await queues.publish('flaky_items', { job: 'a' });
    const deliveries: QueueMessage[] = [];
    const consumer = queues.consume('flaky_items', (message) => {
      deliveries.push(message);
      if (deliveries.length === 1) throw new Error('first try fails');
    });
    const failures: string[] = [];
    consumer.onDidFailHandler((failure) => failures.push(failure.error.message));
    await until(() => deliveries.length === 2, 'the redelivery');
    await sleep(100);
    await consumer.cancel();
    assert.deepEqual(failures, ['first try fails']);
    assert.deepEqual(
      deliveries.map((message) => [message.body, message.redelivered]),
      [
        [{ job: 'a' }, false],
        [{ job: 'a' }, true],
      ],
    );
    assert.equal((await queues.inspect('flaky_items')).messageCount, 0, 'acknowledged the second time');
  });

  test('an unreachable broker or a wrong password fails with a one-line error and no credentials', async () => {
    const refused = open('amqp://guest:hunter2secret@127.0.0.1:1', `    - { name: q1 }`, '', false);
    await assert.rejects(refused.publish('q1', {}), (error: ClassifiedError) => {
      assert.equal(error.kind, 'transient');
      assert.match(error.message, /cannot reach the broker of "orders_bus": connection refused/);
      assert.doesNotMatch(error.message, /hunter2secret/);
      return true;
    });
    const badLogin = open(broker.url.replace('guest:guest', 'guest:wrong-password-here'), `    - { name: q1 }`, '', false);
    await assert.rejects(badLogin.peek('q1'), (error: ClassifiedError) => {
      assert.match(error.message, /ACCESS.REFUSED/);
      assert.doesNotMatch(error.message, /wrong-password-here|\n/);
      return true;
    });
  });

  test('the health probe: connection plus a passive declare of each queue', async () => {
    const queues = open(broker.url, `    - { name: probe_live }\n    - { name: probe_gone }`);
    await queues.publish('probe_live', { n: 1 });
    const raw = await connect(broker.url);
    try {
      await (await raw.createChannel()).deleteQueue('probe_gone');
    } finally {
      await raw.close();
    }
    const probe = await inspectQueues(queues, { timeoutMs: 5000 });
    assert.equal(probe.ok, false);
    assert.deepEqual(probe.queues, [
      { queue: 'probe_live', messageCount: 1, consumerCount: 0 },
      { queue: 'probe_gone', error: { kind: 'config', severity: 'error', message: 'queue "probe_gone" does not exist on the broker' } },
    ]);
    assert.ok(probe.latencyMs >= 0);

    const down = await inspectQueues(open('amqp://guest:guest@127.0.0.1:1', `    - { name: q1 }`, '', false));
    assert.deepEqual({ ok: down.ok, kind: down.error?.kind, queues: down.queues }, { ok: false, kind: 'transient', queues: [] });
  });

  test('close() during a connect the broker does not answer returns at once; the late connection is closed on arrival', async () => {
    const proxy = await startAmqpProxy(broker.port);
    try {
      proxy.hold();
      const queues = open(`amqp://guest:guest@127.0.0.1:${proxy.port}`, `    - { name: late_connect }`);
      const states: QueueConnectionState[] = [];
      queues.onDidChangeState(({ state }) => states.push(state));
      const waiting = queues.whenConnected().then(
        () => 'connected',
        (error: Error) => error.message,
      );
      await until(() => proxy.accepted === 1, 'the connect to reach the proxy');
      const started = performance.now();
      await queues.close();
      assert.ok(performance.now() - started < 1000, `close() took ${Math.round(performance.now() - started)} ms`);
      assert.equal(await waiting, 'the connection of "orders_bus" was closed');
      proxy.release();
      // The handshake now completes and the connection is closed straight away: the client says connection.close.
      await until(() => proxy.clientMethods.some((method) => method.classId === 10 && method.methodId === 50), 'connection.close from the client');
      assert.deepEqual(states, ['connecting', 'closed']);
      assert.ok(!proxy.clientMethods.some((method) => method.classId === 20 && method.methodId === 10), 'no channel opened: nothing declared for a closed connection');
    } finally {
      await proxy.close();
    }
  });

  test('close() of a live connection whose broker stopped answering returns within its bound', async () => {
    const proxy = await startAmqpProxy(broker.port);
    try {
      const queues = open(`amqp://guest:guest@127.0.0.1:${proxy.port}`, `    - { name: silent_close }`);
      await queues.whenConnected();
      proxy.hold();
      const started = performance.now();
      await queues.close();
      const took = performance.now() - started;
      assert.ok(took >= 1500 && took < 4000, `close() took ${Math.round(took)} ms`);
      assert.equal(queues.state, 'closed');
    } finally {
      await proxy.close();
    }
  });

  for (const operation of ['peek', 'inspect'] as const) {
    test(`${operation}: a channel the broker opens after the timeout is closed when it arrives`, async () => {
      const proxy = await startAmqpProxy(broker.port);
      try {
        const queues = open(`amqp://guest:guest@127.0.0.1:${proxy.port}`, `    - { name: late_channel }`);
        await queues.whenConnected();
        const seen = proxy.clientMethods.length;
        proxy.hold();
        const run = operation === 'peek' ? queues.peek('late_channel', { timeoutMs: 200 }) : queues.inspect('late_channel', { timeoutMs: 200 });
        await assert.rejects(run, (error: ClassifiedError) => error.kind === 'timeout' && /could not open a channel within 200 ms/.test(error.message));
        const opened = proxy.clientMethods.slice(seen).find((method) => method.classId === 20 && method.methodId === 10);
        assert.ok(opened, 'the client asked for a channel');
        proxy.release();
        await until(() => proxy.clientMethods.slice(seen).some((method) => method.channel === opened.channel && method.classId === 20 && method.methodId === 40), `channel.close for channel ${opened.channel}`, 5000);
        assert.equal(queues.state, 'connected');
      } finally {
        await proxy.close();
      }
    });
  }

  for (const crash of [false, true]) {
    const how = crash ? 'a broker crash (SIGKILL) and restart' : 'a broker restart';
    test(`${how} mid-stream: reconnects, re-subscribes, and every confirmed message is consumed`, { timeout: 120_000 }, async () => {
      const queue = crash ? 'crash_orders' : 'restart_orders';
      const queues = open(broker.url, `    - { name: ${queue}, exchange: restart_events, routing_key: "${queue}.new" }`);
      const states: QueueConnectionState[] = [];
      queues.onDidChangeState(({ state }) => states.push(state));
      const consumed = new Set<number>();
      let deliveries = 0;
      queues.consume(queue, (message) => {
        deliveries++;
        consumed.add((message.body as { n: number }).n);
      });
      await queues.whenConnected();

      const confirmed: number[] = [];
      let failedPublishes = 0;
      let confirmedAfterWaiting = 0;
      let restarted = false;
      const restart = (async () => {
        await until(() => confirmed.length >= 20, 'twenty confirmed messages');
        await broker.restart({ crash });
        restarted = true;
      })();
      // Three publishers at once, so confirms are in flight when the broker goes away.
      let next = 0;
      let afterRestart = 0;
      const publisher = async () => {
        while (!restarted || afterRestart < 30) {
          if (restarted) afterRestart++;
          const n = next++;
          // The caller's side of the contract: a publish that was not confirmed is published again.
          for (;;) {
            const wasConnected = queues.state === 'connected';
            try {
              await queues.publish(queue, { n }, { timeoutMs: 60_000 });
              confirmed.push(n);
              if (!wasConnected) confirmedAfterWaiting++;
              break;
            } catch (error) {
              assert.ok(error instanceof ClassifiedError, String(error));
              failedPublishes++;
            }
          }
          await sleep(10);
        }
      };
      await Promise.all([publisher(), publisher(), publisher()]);
      await restart;
      await until(() => confirmed.every((n) => consumed.has(n)), 'every confirmed message consumed', 30_000);

      const disconnectedAt = states.indexOf('disconnected');
      assert.ok(disconnectedAt >= 0, `the restart was noticed: ${states.join(' ')}`);
      assert.ok(states.indexOf('connected', disconnectedAt) > disconnectedAt, `and the connection came back: ${states.join(' ')}`);
      assert.ok(confirmedAfterWaiting >= 1, 'a publish made while disconnected waited for the reconnection and was confirmed');
      assert.deepEqual(
        confirmed.filter((n) => !consumed.has(n)),
        [],
        'no confirmed message was lost',
      );
      assert.equal(new Set(confirmed).size, next, 'every number was confirmed in the end');
      console.log(`${how}: ${confirmed.length} confirmed, ${failedPublishes} unconfirmed publishes retried, ${deliveries} deliveries (at least once), ${confirmedAfterWaiting} confirmed after waiting for a reconnection`);
    });
  }
});
