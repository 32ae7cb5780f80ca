import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect } from 'amqplib';
import type { Integration } from '../../src/core/model';
import { runnerError } from '../../src/runners/errors';
import { createHealthProbeContext } from '../../src/runners/health/healthProbeContext';
import type { HealthResult } from '../../src/runners/health/healthResult';
import { runHealthRound } from '../../src/runners/health/healthRound';
import { healthTargets } from '../../src/runners/health/healthTarget';
import { AttemptFailure } from '../../src/runners/http/attemptFailure';
import { ResilienceRegistry } from '../../src/runners/http/resilienceRegistry';
import { closeSharedAgent } from '../../src/runners/http/sharedAgent';
import { ConnectionSet } from '../../src/runners/sync/connectionSet';
import { syncIntegration } from '../../src/runners/sync/runSync';
import { FlakyServer, ok, sequence } from '../support/flakyServer';
import { httpIntegration } from '../support/httpIntegration';
import { integrationFromYaml } from '../support/integrationFromYaml';
import { startRabbitMq, type RabbitMqBroker } from '../support/rabbitmq';

const TOKEN = 'health-bearer-token-42';

describe('health probes against real services', { timeout: 180_000 }, () => {
  let server: FlakyServer;
  let listener: Server;
  let listenerPort: number;
  let closedPort: number;
  let broker: RabbitMqBroker;
  const project = mkdtempSync(join(tmpdir(), 'simone-health-'));

  before(async () => {
    server = await FlakyServer.start();
    listener = createServer((_request, response) => response.end());
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    listenerPort = (listener.address() as AddressInfo).port;
    // Port 1 (tcpmux) has no listener here; a port freed by freePort() may be taken by another test meanwhile.
    closedPort = 1;
    mkdirSync(join(project, '.simone'), { recursive: true });
    broker = await startRabbitMq();
  });
  after(async () => {
    await server?.close();
    if (listener) await new Promise((resolve) => listener.close(resolve));
    await closeSharedAgent();
    await broker?.stop();
    rmSync(project, { recursive: true, force: true });
  });

  /** One round over the given integrations (plus services and gateways), results by name. */
  async function probe(model: Parameters<typeof healthTargets>[0], options: { registry?: ResilienceRegistry; databaseConnections?: ConnectionSet; receiverPort?: number } = {}) {
    const context = createHealthProbeContext({
      integrations: model.integrations,
      projectFolder: () => project,
      registry: options.registry,
      databaseConnections: () => options.databaseConnections,
      receiverPort: () => options.receiverPort,
    });
    const entries = await runHealthRound(healthTargets(model, context));
    return new Map(entries.map((entry) => [entry.name, entry.result]));
  }
  async function probeOne(integration: Integration, options: Parameters<typeof probe>[1] = {}): Promise<HealthResult> {
    return (await probe({ integrations: [integration] }, options)).get(integration.name)!;
  }
  const healthCheck = (fields: { path?: string; url?: string; timeoutMs?: number; expectStatus?: Array<[number, number]> }) => ({
    intervalMs: 30_000,
    timeoutMs: 1000,
    expectStatus: [[200, 299]] as Array<[number, number]>,
    ...fields,
  });

  describe('request_response', () => {
    it('healthy: GETs health_check.path joined to base_url, with the auth, and reports the breaker', async () => {
      server.respond(ok());
      const result = await probeOne(httpIntegration(`${server.url}/v2`, { healthCheck: healthCheck({ path: '/health' }), auth: { type: 'bearer', token: TOKEN } }));
      assert.equal(result.state, 'healthy', result.detail);
      assert.equal(result.breaker, 'closed');
      assert.deepEqual(
        server.requests.map((request) => [request.method, request.url, request.headers.authorization]),
        [['GET', '/v2/health', `Bearer ${TOKEN}`]],
      );
      assert.match(result.detail, /^GET http:\/\/127\.0\.0\.1:\d+\/v2\/health answered 200$/);
      assert.ok(result.latencyMs > 0 && !Number.isNaN(Date.parse(result.checkedAt)));
      assert.deepEqual(result.extra?.kind === 'endpoints' && result.extra.checks.map((check) => [check.name, check.ok, check.status]), [['health_check', true, 200]]);
    });

    it('unhealthy on a status outside expect_status, once, without retrying; the secret stays out of the detail', async () => {
      server.respond({ status: 500 });
      const result = await probeOne(httpIntegration(`http://user:${TOKEN}@127.0.0.1:${server.port}`, { healthCheck: healthCheck({ path: '/health' }) }));
      assert.equal(result.state, 'unhealthy');
      assert.match(result.detail, /answered 500, expected 200-299$/);
      assert.ok(!result.detail.includes(TOKEN), result.detail);
      assert.equal(server.requests.length, 1);
    });

    it('expect_status ranges from the config decide what is healthy', async () => {
      server.respond({ status: 404 });
      const yaml = (expect: string) =>
        integrationFromYaml(
          'request_response',
          `integration:\n  type: request_response\n  name: ranges\n  base_url: ${server.url}\n  endpoints: { ping: /ping }\n  health_check: { url: ${server.url}/status, timeout: 1s, expect_status: "${expect}" }\n`,
        );
      assert.equal((await probeOne(yaml('200-299,404'))).state, 'healthy');
      const outside = await probeOne(yaml('200-204,300-399'));
      assert.equal(outside.state, 'unhealthy');
      assert.match(outside.detail, /answered 404, expected 200-204, 300-399/);
    });

    it('slow (over half the timeout) is degraded; no answer within the timeout is unhealthy', async () => {
      server.respond({ status: 200, delayMs: 300 });
      const slow = await probeOne(httpIntegration(server.url, { healthCheck: healthCheck({ path: '/health', timeoutMs: 500 }) }));
      assert.equal(slow.state, 'degraded', slow.detail);
      assert.match(slow.detail, /slow: \d+ ms of a 500 ms timeout/);
      server.respond('stall');
      const stalled = await probeOne(httpIntegration(server.url, { healthCheck: healthCheck({ path: '/health', timeoutMs: 200 }) }));
      assert.equal(stalled.state, 'unhealthy');
      assert.match(stalled.detail, /no answer within 200 ms$/);
      assert.ok(stalled.latencyMs >= 190 && stalled.latencyMs < 1000, String(stalled.latencyMs));
    });

    it('a connection closed before any answer is tried once more (a stale kept-alive one); twice is unhealthy', async () => {
      const integration = httpIntegration(server.url, { healthCheck: healthCheck({ path: '/health' }) });
      server.respond(sequence('reset', ok()));
      const recovered = await probeOne(integration);
      assert.equal(recovered.state, 'healthy', recovered.detail);
      assert.equal(server.requests.length, 2);
      server.respond('reset');
      const reset = await probeOne(integration);
      assert.equal(reset.state, 'unhealthy');
      assert.match(reset.detail, /the server closed the connection|connection reset/);
      assert.equal(server.requests.length, 2, 'one retry, not more');
    });

    it('without a health_check: a TCP connect to the base URL, else to the first absolute endpoint', async () => {
      server.respond(ok());
      const up = await probeOne(httpIntegration(`${server.url}/api`));
      assert.equal(up.state, 'healthy');
      assert.match(up.detail, /^tcp 127\.0\.0\.1:\d+ accepts connections$/);
      assert.equal(server.requests.length, 0, 'a connect sends no request');
      const down = await probeOne(httpIntegration(undefined as unknown as string, { endpoints: [{ name: 'abs', url: `http://127.0.0.1:${closedPort}/x` }] }));
      assert.equal(down.state, 'unhealthy');
      assert.equal(down.detail, `tcp 127.0.0.1:${closedPort} connection refused`);
    });

    it('an open breaker is unhealthy and a half-open one degraded, even when the check passes', async () => {
      server.respond(ok());
      const registry = new ResilienceRegistry();
      const integration = httpIntegration(server.url, { healthCheck: healthCheck({ path: '/health' }), circuitBreaker: { failureThreshold: 1, openMs: 40, halfOpenMaxCalls: 2 } });
      const { breaker } = registry.policiesFor(integration);
      const fail = () => Promise.reject(new AttemptFailure(runnerError('remote-5xx', 'answered 503'), true));
      await breaker.execute(fail).catch(() => undefined);
      const open = await probeOne(integration, { registry });
      assert.deepEqual([open.state, open.breaker], ['unhealthy', 'open']);
      assert.match(open.detail, /answered 200; circuit open: calls are refused$/);
      await new Promise((resolve) => setTimeout(resolve, 60));
      await breaker.execute(async () => 'ok'); // the first of two trial calls succeeds: still on probation
      const halfOpen = await probeOne(integration, { registry });
      assert.deepEqual([halfOpen.state, halfOpen.breaker], ['degraded', 'half-open']);
      registry.dispose();
    });

    it('disabled: unknown, "disabled", and no request is sent', async () => {
      server.respond(ok());
      const result = await probeOne(httpIntegration(server.url, { enabled: false, healthCheck: healthCheck({ path: '/health' }) }));
      assert.deepEqual([result.state, result.detail, result.latencyMs], ['unknown', 'disabled', 0]);
      assert.equal(server.requests.length, 0);
    });
  });

  describe('webhook', () => {
    /** Outgoing endpoints by URL, one incoming-only endpoint, and a receiver on `receiverPort`. */
    const webhook = (receiverPort: number, ...urls: string[]) =>
      integrationFromYaml(
        'webhook',
        [
          'integration:',
          '  type: webhook',
          '  name: hooks',
          '  timeout: 1s',
          '  endpoints:',
          ...urls.map((url, index) => `    - { name: out_${index + 1}, url: "${url}", secret: "${TOKEN}" }`),
          `    - { name: incoming, secret: "${TOKEN}" }`,
          `  receiver: { port: ${receiverPort} }`,
        ].join('\n'),
      );

    it('every endpoint server reachable and the receiver listening: healthy, and nothing is POSTed', async () => {
      server.respond(ok());
      const result = await probeOne(webhook(listenerPort, `${server.url}/hooks/chat`, `${server.url}/hooks/ci`));
      assert.equal(result.state, 'healthy', result.detail);
      assert.equal(result.detail, 'out_1, out_2, receiver answer');
      assert.equal(server.requests.length, 0);
    });

    it('some unreachable: degraded, naming what failed; none reachable: unhealthy', async () => {
      const some = await probeOne(webhook(closedPort, `${server.url}/hooks/chat`, `${server.url}/hooks/ci`));
      assert.equal(some.state, 'degraded');
      assert.equal(some.detail, `2 of 3 answer; receiver: tcp 127.0.0.1:${closedPort} connection refused`);
      const none = await probeOne(webhook(closedPort, `http://127.0.0.1:${closedPort}/ci`));
      assert.equal(none.state, 'unhealthy');
      assert.equal(none.detail, `0 of 2 answer; out_1: tcp 127.0.0.1:${closedPort} connection refused; receiver: tcp 127.0.0.1:${closedPort} connection refused`);
    });

    it('receiver.port 0: not checked until a receiver runs, then checked on the port it was given', async () => {
      const notStarted = await probeOne(webhook(0, `${server.url}/hooks/chat`));
      assert.deepEqual([notStarted.state, notStarted.detail], ['healthy', `tcp 127.0.0.1:${server.port} accepts connections`], 'the one check: out_1');
      const started = await probeOne(webhook(0, `${server.url}/hooks/chat`), { receiverPort: listenerPort });
      assert.deepEqual([started.state, started.detail], ['healthy', 'out_1, receiver answer']);
      const gone = await probeOne(webhook(0, `${server.url}/hooks/chat`), { receiverPort: closedPort });
      assert.equal(gone.state, 'degraded', gone.detail);
    });
  });

  describe('message_queue and event_driven', () => {
    const mq = (url: string, queues: string[], name = 'tasks') =>
      integrationFromYaml(
        'message_queue',
        `integration:\n  type: message_queue\n  name: ${name}\n  connection_url: "${url}"\n  timeout: 2s\n  queues:\n${queues.map((queue) => `    - { name: ${queue} }`).join('\n')}\n`,
      );

    before(async () => {
      const connection = await connect(broker.url);
      const channel = await connection.createChannel();
      await channel.assertQueue('health_jobs', { durable: true });
      channel.sendToQueue('health_jobs', Buffer.from('one'));
      channel.sendToQueue('health_jobs', Buffer.from('two'));
      await channel.close();
      await connection.close();
    });

    it('a health_check.url is fetched beside the broker check: its failure degrades a connected broker, and is named', async () => {
      const withUrl = (path: string) =>
        integrationFromYaml('message_queue', `integration:\n  type: message_queue\n  name: tasks\n  connection_url: "${broker.url}"\n  health_check: { url: "${server.url}${path}" }\n  queues:\n    - { name: health_jobs }\n`);
      server.respond((request) => (request.url === '/api/health/checks/alarms' ? ok({ status: 'ok' }) : { status: 503 }));
      const answered = await probeOne(withUrl('/api/health/checks/alarms'));
      assert.deepEqual([answered.state, answered.detail], ['healthy', 'connected; health_jobs: 2 messages, 0 consumers; health_check.url answers']);
      assert.equal(answered.extra?.kind, 'queues', 'the broker check keeps its details');
      const refused = await probeOne(withUrl('/down'));
      assert.equal(refused.state, 'degraded');
      assert.match(refused.detail, /^connected; health_jobs: 2 messages, 0 consumers; health_check: .*503/);
      assert.deepEqual(server.requests.map((request) => request.url), ['/api/health/checks/alarms', '/down']);
    });

    it('connection plus passive declare: depth and consumers; a missing queue is degraded and is not created', async () => {
      const healthy = await probeOne(mq(broker.url, ['health_jobs']));
      assert.equal(healthy.state, 'healthy', healthy.detail);
      assert.equal(healthy.detail, 'connected; health_jobs: 2 messages, 0 consumers');
      assert.deepEqual(healthy.extra, { kind: 'queues', queues: [{ queue: 'health_jobs', messageCount: 2, consumerCount: 0 }] });

      const missing = await probeOne(mq(broker.url, ['health_jobs', 'health_missing']));
      assert.equal(missing.state, 'degraded');
      assert.equal(missing.detail, 'connected; queue "health_missing" does not exist on the broker');
      const connection = await connect(broker.url);
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      await assert.rejects(channel.checkQueue('health_missing'), /NOT_FOUND/, 'the probe declared nothing');
      await connection.close().catch(() => undefined);
    });

    it('no broker: unhealthy, with the password kept out of the detail', async () => {
      const result = await probeOne(mq(`amqp://guest:${TOKEN}@127.0.0.1:${closedPort}`, ['health_jobs']));
      assert.equal(result.state, 'unhealthy');
      assert.match(result.detail, /connection refused/);
      assert.ok(!result.detail.includes(TOKEN), result.detail);
    });

    it('event_driven: a queue destination through its message_queue integration, a URL by a connect', async () => {
      const events = (urlDestination: string) =>
        integrationFromYaml(
          'event_driven',
          `integration:\n  type: event_driven\n  name: project_events\n  timeout: 1s\n  publishers:\n    - { name: to_queue, events: [task_created], destination: health_jobs }\n    - { name: to_url, events: [task_created], destination: "${urlDestination}" }\n  subscribers: []\n`,
        );
      const queues = mq(broker.url, ['health_jobs']);
      const up = (await probe({ integrations: [events(`${server.url}/events`), queues] })).get('project_events')!;
      assert.equal(up.state, 'healthy', up.detail);
      assert.deepEqual(up.extra?.kind === 'destinations' && up.extra.queues, [{ queue: 'health_jobs', messageCount: 2, consumerCount: 0 }]);
      const half = (await probe({ integrations: [events(`http://127.0.0.1:${closedPort}/events`), queues] })).get('project_events')!;
      assert.equal(half.state, 'degraded');
      assert.equal(half.detail, `1 of 2 answer; to_url: tcp 127.0.0.1:${closedPort} connection refused`);
    });
  });

  describe('database (PGlite)', () => {
    it('SELECT 1 and targets: degraded before the first sync, healthy after it, with the last sync time', async () => {
      const milestone = join(project, '.simone', '02_REQUIREMENTS', 'M01_Start');
      mkdirSync(milestone, { recursive: true });
      writeFileSync(join(milestone, 'M01_milestone_meta.md'), '---\nmilestone_id: M01\ntitle: Start\nstatus: active\nlast_updated: 2025-01-01\n---\n');
      const database = integrationFromYaml(
        'database',
        `integration:\n  type: database\n  name: analytics\n  timeout: 30s\n  connections:\n    - { name: local, type: pglite, path: ${join(project, 'pglite')} }\n  sync_tables:\n    - { source: milestones, target: project_milestones, sync_frequency: manual }\n`,
      );
      // One PGlite open for the whole test (it takes seconds): the probes and the sync share the connections.
      const connections = new ConnectionSet(database);
      try {
        const before = await probeOne(database, { databaseConnections: connections });
        assert.equal(before.state, 'degraded', before.detail);
        assert.match(before.detail, /target project_milestones of milestones does not exist yet/);
        const synced = await syncIntegration(database, { projectFolder: project, connections });
        assert.ok(
          synced.tables.every((table) => !('error' in table)),
          JSON.stringify(synced.tables),
        );
        const afterSync = await probeOne(database, { databaseConnections: connections });
        assert.equal(afterSync.state, 'healthy', afterSync.detail);
        const [table] = afterSync.extra?.kind === 'database' ? afterSync.extra.tables : [];
        assert.deepEqual([table.target, table.targetPresent, table.pendingChanges], ['project_milestones', true, 0]);
        assert.ok(table.lastSyncAt && Date.now() - Date.parse(table.lastSyncAt) < 120_000, table.lastSyncAt);
        writeFileSync(join(milestone, 'M01_milestone_meta.md'), '---\nmilestone_id: M01\ntitle: Start\nstatus: completed\nlast_updated: 2025-01-02\n---\n');
        const pending = await probeOne(database, { databaseConnections: connections });
        assert.equal(pending.extra?.kind === 'database' && pending.extra.tables[0].pendingChanges, 1);
      } finally {
        await connections.close();
      }

      writeFileSync(join(project, 'not-a-folder'), 'x');
      const broken = await probeOne({ ...database, name: 'broken', connections: [{ ...database.connections[0], path: join(project, 'not-a-folder') }] });
      assert.equal(broken.state, 'unhealthy');
    });
  });

  describe('microservices and api_gateway', () => {
    it('a probe per service (its health_check, else a connect) and the gateway by host:port', async () => {
      server.respond(ok());
      const results = await probe({
        integrations: [],
        microservices: [
          {
            services: [
              { name: 'milestone_service', url: server.url, healthCheck: '/health', loadBalancer: 'round_robin' },
              { name: 'task_service', url: `http://127.0.0.1:${closedPort}`, loadBalancer: 'random' },
            ],
            communication: { type: 'http', timeoutMs: 1000, retries: 0 },
            secrets: [],
            source: { uri: 'arch.yaml', documentIndex: 0 },
          },
        ],
        gateways: [{ host: '127.0.0.1', port: listenerPort, ssl: false, routes: [], secrets: [], source: { uri: 'arch.yaml', documentIndex: 1 } }],
      });
      assert.deepEqual(
        [...results].map(([name, result]) => [name, result.state]),
        [
          ['milestone_service', 'healthy'],
          ['task_service', 'unhealthy'],
          ['api_gateway', 'healthy'],
        ],
      );
      assert.deepEqual(
        server.requests.map((request) => request.url),
        ['/health'],
      );
    });
  });
});
