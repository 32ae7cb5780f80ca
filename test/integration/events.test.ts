import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { cloudEventSource, cloudEventType, createCloudEvent } from '../../src/runners/events/cloudEvent';
import { publishEvent } from '../../src/runners/events/publishEvent';
import { QueueConnectionPool } from '../../src/runners/queue/queueConnectionPool';
import { integrationFromYaml } from '../support/integrationFromYaml';
import { startRabbitMq, type RabbitMqBroker } from '../support/rabbitmq';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

// One broker and one HTTP receiver for the file.
let broker: RabbitMqBroker;
let server: Server;
let receiverUrl: string;
const received: Received[] = [];
/** Statuses the receiver answers with, in order; 202 once they run out. */
const script: number[] = [];
const pool = new QueueConnectionPool();

before(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(script.shift() ?? 202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
  broker = await startRabbitMq();
});

after(async () => {
  await pool.close();
  if (server) await new Promise((resolve) => server.close(resolve));
  await broker?.stop();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function workspaceIntegrations() {
  const events = integrationFromYaml(
    'event_driven',
    `integration:
  type: event_driven
  name: project_events
  timeout: 5s
  retry: { max_attempts: 3, base_delay: 20ms, max_delay: 50ms }
  publishers:
    - { name: to_hook, events: [task_completed, sprint_started], destination: "${receiverUrl}" }
    - { name: to_queue, events: [task_completed], destination: simone_events }
    - { name: to_nowhere, events: [milestone_created], destination: simone_event }
`,
  );
  const bus = integrationFromYaml(
    'message_queue',
    `integration:
  type: message_queue
  name: event_bus
  connection_url: "${broker.url}"
  timeout: 10s
  queues:
    - { name: simone_events, exchange: simone, exchange_type: topic, routing_key: "simone.#" }
`,
  );
  return { events, bus, integrations: [events, bus] };
}

describe('CloudEvents', () => {
  test('envelope: spec version, uuid id, source, type mapping, time and data', () => {
    const event = createCloudEvent({ eventName: 'task_completed', workspace: 'my project', integration: 'project_events', data: { task_id: 'T01' }, time: new Date('2025-01-02T03:04:05Z') });
    assert.match(event.id, UUID);
    assert.deepEqual(
      { ...event, id: 'x' },
      { specversion: '1.0', id: 'x', source: 'simone://my%20project/project_events', type: 'simone.task_completed', time: '2025-01-02T03:04:05.000Z', datacontenttype: 'application/json', data: { task_id: 'T01' } },
    );
    assert.notEqual(createCloudEvent({ eventName: 'a', workspace: 'w', integration: 'i', data: null }).id, event.id);
    assert.equal(cloudEventType('sprint_finished'), 'simone.sprint_finished');
    assert.equal(cloudEventType('com.acme.order_paid'), 'com.acme.order_paid', 'a dotted custom name is a full type already');
    assert.equal(cloudEventSource('ws', 'a/b'), 'simone://ws/a%2Fb');
  });

  test('an event goes to every publisher that lists it: a URL in structured mode and a queue', async () => {
    received.length = 0;
    const { events, bus, integrations } = workspaceIntegrations();
    const result = await publishEvent(events, 'task_completed', { task_id: 'T07', status: 'done' }, { workspace: 'demo', integrations, queues: pool });

    assert.deepEqual(
      result.deliveries.map((delivery) => [delivery.publisher, delivery.kind, delivery.ok, delivery.error?.message]),
      [
        ['to_hook', 'url', true, undefined],
        ['to_queue', 'queue', true, undefined],
      ],
    );
    assert.equal(result.event.type, 'simone.task_completed');
    assert.equal(result.event.source, 'simone://demo/project_events');

    assert.equal(received.length, 1);
    assert.equal(received[0].headers['content-type'], 'application/cloudevents+json');
    assert.deepEqual(JSON.parse(received[0].body), result.event, 'the body is the whole envelope');

    const [message] = await pool.get(bus).peek('simone_events');
    assert.deepEqual(message.body, result.event);
    assert.equal(message.properties.contentType, 'application/cloudevents+json');
    assert.equal(message.properties.messageId, result.event.id, 'the AMQP message id is the event id');
    assert.equal(message.routingKey, 'simone.#');
    assert.equal(message.properties.persistent, true);
  });

  test('a URL destination that fails transiently is retried with the integration policy; one that keeps failing is reported', async () => {
    received.length = 0;
    const { events, integrations } = workspaceIntegrations();
    script.push(503);
    const retried = await publishEvent(events, 'sprint_started', { sprint: 'S01' }, { workspace: 'demo', integrations, queues: pool });
    assert.equal(retried.deliveries.length, 1);
    const [delivery] = retried.deliveries;
    assert.ok(delivery.kind === 'url' && delivery.ok);
    assert.deepEqual(
      delivery.attempts.map((attempt) => attempt.status),
      [503, 202],
    );
    assert.equal(JSON.parse(received[0].body).id, JSON.parse(received[1].body).id, 'a retry sends the same event id');

    script.push(400);
    const rejected = await publishEvent(events, 'sprint_started', {}, { workspace: 'demo', integrations, queues: pool });
    const [failed] = rejected.deliveries;
    assert.ok(failed.kind === 'url' && !failed.ok);
    assert.equal(failed.status, 400);
    assert.equal(failed.error?.kind, 'remote-4xx');
    assert.equal(failed.attempts.length, 1, 'a 400 is not retried');
  });

  test('an unknown destination is reported with a suggestion; events nobody publishes go nowhere', async () => {
    const { events, integrations } = workspaceIntegrations();
    const unknown = await publishEvent(events, 'milestone_created', {}, { workspace: 'demo', integrations, queues: pool });
    assert.equal(unknown.deliveries.length, 1);
    assert.equal(unknown.deliveries[0].kind, 'unresolved');
    assert.equal(unknown.deliveries[0].error?.kind, 'config');
    assert.match(unknown.deliveries[0].error?.message ?? '', /no message_queue integration declares the queue "simone_event"\. Did you mean "simone_events"\?/);

    const none = await publishEvent(events, 'task_created', {}, { workspace: 'demo', integrations, queues: pool });
    assert.deepEqual(none.deliveries, []);
  });

  test('a queue destination whose broker is down fails within the timeout, with the URL password masked', async () => {
    const { events } = workspaceIntegrations();
    const downBus = integrationFromYaml(
      'message_queue',
      `integration:
  type: message_queue
  name: down_bus
  connection_url: "amqp://guest:very-secret-pw@127.0.0.1:1"
  timeout: 300ms
  queues: [{ name: simone_events }]
`,
    );
    const downPool = new QueueConnectionPool({ reconnect: false });
    try {
      const quick = { ...events, timeoutMs: 300 };
      const result = await publishEvent(quick, 'task_completed', {}, { workspace: 'demo', integrations: [quick, downBus], queues: downPool });
      const queued = result.deliveries.find((delivery) => delivery.kind === 'queue');
      assert.ok(queued && !queued.ok);
      assert.match(queued.error?.message ?? '', /cannot reach the broker of "down_bus": connection refused/);
      assert.doesNotMatch(JSON.stringify(result), /very-secret-pw/);
    } finally {
      await downPool.close();
    }
  });
});
