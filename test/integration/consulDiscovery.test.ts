/**
 * Consul discovery against the Consul API double (test/support/consulDouble.ts) and real HTTP backends on
 * 127.0.0.1: per-instance health that follows the double live, load balancing counted per instance, retries
 * that move to another instance, and Consul misbehaving (down, slow, 500, malformed JSON, index backwards).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { Agent } from 'undici';
import type { Microservices, ServiceSettings } from '../../src/core/model';
import { callService } from '../../src/runners/discovery/callService';
import { ServiceDirectory } from '../../src/runners/discovery/serviceDirectory';
import { createHealthProbeContext } from '../../src/runners/health/healthProbeContext';
import { HealthMonitor } from '../../src/runners/health/healthMonitor';
import type { HealthResult } from '../../src/runners/health/healthResult';
import type { InstanceHealth } from '../../src/runners/health/instanceHealth';
import { healthKey, healthTargets } from '../../src/runners/health/healthTarget';
import { ResilienceRegistry } from '../../src/runners/http/resilienceRegistry';
import { closeSharedAgent } from '../../src/runners/http/sharedAgent';
import { ConsulDouble, type DoubleInstance } from '../support/consulDouble';
import { until } from '../support/until';

const TOKEN = 'consul-acl-token-7f3a91';

interface Backend {
  port: number;
  hits: number;
  /** What it answers (health path included). */
  status: number;
  delayMs: number;
  close(): Promise<void>;
}

async function startBackend(status = 200, delayMs = 0): Promise<Backend> {
  const backend = { hits: 0, status, delayMs } as Backend;
  const server: Server = createServer((_request, response) => {
    backend.hits++;
    setTimeout(() => {
      response.writeHead(backend.status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ port: backend.port }));
    }, backend.delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  backend.port = (server.address() as AddressInfo).port;
  backend.close = () => new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  return backend;
}

function microservices(double: ConsulDouble, services: Array<Partial<ServiceSettings> & { name: string }>, token = TOKEN, retries = 2): Microservices {
  return {
    discovery: { type: 'consul', host: double.host, port: double.port, scheme: 'http', token },
    services: services.map((service) => ({ healthCheck: '/health', loadBalancer: 'round_robin', ...service })),
    communication: { type: 'http', timeoutMs: 2000, retries },
    secrets: token ? [token] : [],
    source: { uri: 'architecture.yaml', documentIndex: 0 },
  };
}

const instanceOf = (backend: Backend, extra: Partial<DoubleInstance> = {}): DoubleInstance => ({ address: '127.0.0.1', port: backend.port, ...extra });
const ids = (result: HealthResult | undefined) => (result?.extra?.kind === 'instances' ? result.extra.instances.map((entry) => `${entry.port}`).sort() : []);
const instances = (result: HealthResult | undefined): InstanceHealth[] => (result?.extra?.kind === 'instances' ? result.extra.instances : []);

describe('Consul discovery', { timeout: 120_000 }, () => {
  let double: ConsulDouble;
  const backends: Backend[] = [];
  const directories: ServiceDirectory[] = [];
  const directory = () => {
    const created = new ServiceDirectory({ waitMs: 1_000, timeoutMs: 1_000, retryBaseMs: 50, retryMaxMs: 200 });
    directories.push(created);
    return created;
  };
  const backend = async (status = 200, delayMs = 0) => {
    const started = await startBackend(status, delayMs);
    backends.push(started);
    return started;
  };

  before(async () => {
    double = await ConsulDouble.start({ token: TOKEN });
  });
  afterEach(() => {
    double.misbehave(undefined);
    for (const created of directories.splice(0)) created.dispose();
  });
  after(async () => {
    await double.stop();
    await Promise.all(backends.map((entry) => entry.close()));
    await closeSharedAgent();
  });

  describe('health per instance', () => {
    it('probes every instance and follows the double live: instances appear and disappear without a restart', async () => {
      const [a, b, c] = await Promise.all([backend(), backend(), backend()]);
      double.setService('orders', [instanceOf(a), instanceOf(b)]);
      const model = microservices(double, [{ name: 'orders' }]);
      const context = createHealthProbeContext({ integrations: [], projectFolder: () => '/', discovery: directory() });
      const monitor = new HealthMonitor(healthTargets({ integrations: [], microservices: [model] }, context), { trusted: true });
      const key = healthKey('microservice', 'orders');
      const result = () => monitor.results().find((entry) => entry.key === key)?.result;
      // What the Integrations view repaints from: each instance set is announced, not only read.
      const announced: string[][] = [];
      monitor.onDidChange((change) => announced.push(ids(change.result)));
      try {
        monitor.start();
        await until(() => ids(result()).length === 2, 'both instances in the health result');
        assert.equal(result()?.state, 'healthy');
        assert.deepEqual(ids(result()), [a.port, b.port].map(String).sort());
        assert.ok(a.hits >= 1 && b.hits >= 1, 'our health_check went to each instance');

        double.setService('orders', [instanceOf(a), instanceOf(b), instanceOf(c)]);
        await until(() => ids(result()).length === 3, 'the third instance to appear');
        assert.equal(result()?.state, 'healthy');

        double.setService('orders', [instanceOf(a), instanceOf(c)]);
        await until(() => ids(result()).length === 2 && !ids(result()).includes(String(b.port)), 'the second instance to disappear');
        assert.deepEqual(announced.slice(-3), [[a.port, b.port].map(String).sort(), [a.port, b.port, c.port].map(String).sort(), [a.port, c.port].map(String).sort()]);

        double.setService('orders', [instanceOf(a), instanceOf(c, { status: 'critical' })]);
        await until(() => result()?.state === 'degraded', 'a critical instance to make the service degraded');
        const critical = instances(result()).find((entry) => entry.port === c.port);
        assert.equal(critical?.consul, 'critical');
        assert.equal(critical?.probe.ok, true, 'our probe still answers: the details show both');
        assert.match(result()!.detail, /1 of 2 instances pass; .*consul critical/);
        assert.ok(!result()!.detail.includes(TOKEN) && !JSON.stringify(result()).includes(TOKEN));

        double.setService('orders', [instanceOf(a, { maintenance: 'kernel upgrade' }), instanceOf(c, { status: 'critical' })]);
        await until(() => result()?.state === 'unhealthy', 'no passing instance to make it unhealthy');
        assert.equal(instances(result()).find((entry) => entry.port === a.port)?.consul, 'maintenance');
      } finally {
        monitor.dispose();
      }
    });

    it('an instance whose health_check fails makes the service degraded and is named in the detail', async () => {
      const [good, bad] = await Promise.all([backend(), backend(503)]);
      double.setService('billing', [instanceOf(good), instanceOf(bad, { id: 'billing-b', node: 'node-b' })]);
      const context = createHealthProbeContext({ integrations: [], projectFolder: () => '/', discovery: directory() });
      const [target] = healthTargets({ integrations: [], microservices: [microservices(double, [{ name: 'billing' }])] }, context);
      const result = await target.probe(AbortSignal.timeout(10_000));
      assert.equal(result.state, 'degraded');
      assert.match(result.detail, new RegExp(`node-b/billing-b at 127\\.0\\.0\\.1:${bad.port}: GET http://127\\.0\\.0\\.1:${bad.port}/health answered 503`));
    });

    it('the detail names the first five failing instances; the result lists every one', async () => {
      const shared = await backend();
      double.setService('crowded', Array.from({ length: 7 }, (_, index) => instanceOf(shared, { id: `crowded-${index}`, node: `n${index}`, status: 'critical' })));
      const context = createHealthProbeContext({ integrations: [], projectFolder: () => '/', discovery: directory() });
      const [target] = healthTargets({ integrations: [], microservices: [microservices(double, [{ name: 'crowded' }])] }, context);
      const result = await target.probe(AbortSignal.timeout(10_000));
      assert.equal(result.state, 'unhealthy');
      assert.match(result.detail, /^0 of 7 instances pass; n0\/crowded-0 .*n4\/crowded-4 at [^;]*; and 2 more \(see the instances\)$/);
      assert.equal(instances(result).length, 7);
    });

    it('a service Consul does not know is unhealthy with a did-you-mean from the catalog', async () => {
      double.setService('inventory', [instanceOf(await backend())]);
      const context = createHealthProbeContext({ integrations: [], projectFolder: () => '/', discovery: directory() });
      const [target] = healthTargets({ integrations: [], microservices: [microservices(double, [{ name: 'inventroy' }])] }, context);
      const result = await target.probe(AbortSignal.timeout(10_000));
      assert.equal(result.state, 'unhealthy');
      assert.match(result.detail, /has no service inventroy\. Did you mean "inventory"\?/);
    });

    it('without the ACL token Consul answers 403: unhealthy, saying a token is needed', async () => {
      double.setService('secure', [instanceOf(await backend())]);
      const context = createHealthProbeContext({ integrations: [], projectFolder: () => '/', discovery: directory() });
      const [target] = healthTargets({ integrations: [], microservices: [microservices(double, [{ name: 'secure' }], '')] }, context);
      const result = await target.probe(AbortSignal.timeout(10_000));
      assert.equal(result.state, 'unhealthy');
      assert.match(result.detail, /refused \/v1\/health\/service\/secure \(403\): an ACL token is needed/);
    });
  });

  describe('Consul misbehaving: a clear result, the watch goes on', () => {
    const cases: Array<{ name: string; make: () => Promise<void> | void; detail: RegExp }> = [
      { name: 'answering 500', make: () => double.misbehave({ kind: 'status', status: 500 }), detail: /Consul at http:\/\/127\.0\.0\.1:\d+ answered 500 to \/v1\/health\/service\/watched: rpc error/ },
      { name: 'malformed JSON', make: () => double.misbehave({ kind: 'malformed' }), detail: /answered \/v1\/health\/service\/watched with malformed JSON/ },
      { name: 'slow', make: () => double.misbehave({ kind: 'slow', delayMs: 2_500 }), detail: /no answer to \/v1\/health\/service\/watched within \d+ ms/ },
      { name: 'down', make: () => double.down(), detail: /cannot be reached: connection refused/ },
      { name: 'answering more than 8 MiB', make: () => double.misbehave({ kind: 'huge', bytes: 9 * 1024 * 1024 }), detail: /answer larger than 8 MiB/ },
    ];
    const recover = async (name: string) => {
      if (name === 'down' && !double.listening) await double.up();
      double.misbehave(undefined);
    };
    for (const { name, make, detail } of cases) {
      it(`${name}: unhealthy with that reason, healthy again once Consul recovers`, async () => {
        const instance = await backend();
        double.setService('watched', [instanceOf(instance)]);
        const context = createHealthProbeContext({ integrations: [], projectFolder: () => '/', discovery: directory() });
        const monitor = new HealthMonitor(healthTargets({ integrations: [], microservices: [microservices(double, [{ name: 'watched' }])] }, context), { trusted: true });
        const result = () => monitor.results()[0]?.result;
        try {
          monitor.start();
          await until(() => result()?.state === 'healthy', 'the first healthy result');
          await make();
          // A blocked query returns at once on a change; a new one meets the misbehaviour.
          double.setService('watched', [instanceOf(instance)]);
          await until(() => result()?.state === 'unhealthy' && detail.test(result()!.detail), `the ${name} Consul to make it unhealthy, saying why`);
          await recover(name);
          await until(() => result()?.state === 'healthy', 'the watch to recover by itself');
        } finally {
          monitor.dispose();
          await recover(name);
        }
      });
    }

    it('an index that goes backwards is reset: later changes still arrive', async () => {
      const [a, b] = await Promise.all([backend(), backend()]);
      double.setService('rewound', [instanceOf(a)]);
      const context = createHealthProbeContext({ integrations: [], projectFolder: () => '/', discovery: directory() });
      const monitor = new HealthMonitor(healthTargets({ integrations: [], microservices: [microservices(double, [{ name: 'rewound' }])] }, context), { trusted: true });
      const result = () => monitor.results()[0]?.result;
      try {
        monitor.start();
        await until(() => ids(result()).length === 1, 'the first result');
        const before = double.requests.length;
        double.moveIndexBack(1);
        await until(() => double.requests.slice(before).some((request) => request.path === '/v1/health/service/rewound' && request.index === undefined), 'a full read (index 0) after the index went back');
        double.setService('rewound', [instanceOf(a), instanceOf(b)]);
        await until(() => ids(result()).length === 2, 'a change after the reset');
      } finally {
        monitor.dispose();
      }
    });

    it('blocking queries carry index and wait, not fixed-interval polling', async () => {
      double.setService('blocking', [instanceOf(await backend())]);
      const watched = directory();
      const model = microservices(double, [{ name: 'blocking' }]);
      const before = double.requests.length;
      const subscription = watched.subscribe(model, model.services[0], () => undefined);
      try {
        await until(() => double.requests.slice(before).some((request) => request.path === '/v1/health/service/blocking' && (request.index ?? 0) > 0), 'a blocking query');
        const blocking = double.requests.slice(before).find((request) => (request.index ?? 0) > 0);
        assert.equal(blocking?.wait, '1s');
        await new Promise((resolve) => setTimeout(resolve, 500));
        assert.ok(double.requests.slice(before).filter((request) => request.path === '/v1/health/service/blocking').length <= 2, 'one full read, then one query held open');
      } finally {
        subscription?.dispose();
      }
    });
  });

  describe('the double, as Consul documents it', () => {
    it('?passing leaves out instances with a check that is not passing; the catalog lists services with their tags', async () => {
      const [a, b] = await Promise.all([backend(), backend()]);
      double.setService('docs', [instanceOf(a, { tags: ['v2'] }), instanceOf(b, { status: 'warning' })]);
      const get = async (path: string) => {
        const response = await fetch(`${double.origin}${path}`, { headers: { 'x-consul-token': TOKEN } });
        return { index: Number(response.headers.get('x-consul-index')), body: (await response.json()) as Array<{ Service: { Port: number } }> & Record<string, string[]> };
      };
      const all = await get('/v1/health/service/docs');
      const passing = await get('/v1/health/service/docs?passing');
      assert.deepEqual(all.body.map((entry) => entry.Service.Port), [a.port, b.port]);
      assert.deepEqual(passing.body.map((entry) => entry.Service.Port), [a.port]);
      assert.ok(all.index > 0);
      const catalog = await get('/v1/catalog/services');
      assert.deepEqual(catalog.body.docs, ['v2']);
      assert.deepEqual(catalog.body.consul, []);
      assert.equal((await fetch(`${double.origin}/v1/catalog/services`)).status, 403, 'no token, no answer');
    });
  });

  describe('https', () => {
    let folder: string;
    let tlsDouble: ConsulDouble;
    let ca: string;
    before(async () => {
      folder = mkdtempSync(join(tmpdir(), 'simone-consul-tls-'));
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(folder, 'key.pem'), '-out', join(folder, 'cert.pem')], { stdio: 'ignore' });
      ca = readFileSync(join(folder, 'cert.pem'), 'utf8');
      tlsDouble = await ConsulDouble.start({ token: TOKEN, tls: { key: readFileSync(join(folder, 'key.pem'), 'utf8'), cert: ca } });
    });
    after(async () => {
      await tlsDouble.stop();
      rmSync(folder, { recursive: true, force: true });
    });

    it('scheme https talks TLS to the agent, and an untrusted certificate is a clear config failure', async () => {
      tlsDouble.setService('secure', [instanceOf(await backend())]);
      const model = { ...microservices(tlsDouble, [{ name: 'secure' }]), discovery: { type: 'consul' as const, host: '127.0.0.1', port: tlsDouble.port, scheme: 'https' as const, token: TOKEN } };
      const trusting = new Agent({ connect: { ca } });
      try {
        const trusted = createHealthProbeContext({ integrations: [], projectFolder: () => '/', discovery: new ServiceDirectory({ dispatcher: trusting }) });
        const [target] = healthTargets({ integrations: [], microservices: [model] }, trusted);
        const result = await target.probe(AbortSignal.timeout(10_000));
        assert.equal(result.state, 'healthy', result.detail);
        assert.equal(tlsDouble.requests.at(-1)?.path, '/v1/health/service/secure');

        const [untrusting] = healthTargets({ integrations: [], microservices: [model] }, createHealthProbeContext({ integrations: [], projectFolder: () => '/', discovery: directory() }));
        const refused = await untrusting.probe(AbortSignal.timeout(10_000));
        assert.equal(refused.state, 'unhealthy');
        assert.match(refused.detail, /^Consul at https:\/\/127\.0\.0\.1:\d+: self[- ]signed certificate/);
      } finally {
        await trusting.close();
      }
    });
  });

  describe('calling a service', () => {
    it('round_robin spreads requests evenly over the passing instances', async () => {
      const pool = await Promise.all([backend(), backend(), backend()]);
      const skipped = await backend();
      double.setService('rr', [...pool.map((entry) => instanceOf(entry)), instanceOf(skipped, { status: 'warning' })]);
      const model = microservices(double, [{ name: 'rr', loadBalancer: 'round_robin' }]);
      const services = directory();
      const registry = new ResilienceRegistry();
      for (let call = 0; call < 30; call++) {
        const result = await callService(model, model.services[0], { directory: services, registry, path: '/work' });
        assert.equal(result.ok, true, result.error?.message);
      }
      assert.deepEqual(pool.map((entry) => entry.hits), [10, 10, 10]);
      assert.equal(skipped.hits, 0, 'a warning instance is not passing: it gets no calls');
      registry.dispose();
    });

    it('least_connections sends fewer requests to the instance that holds them longer', async () => {
      const [slow, fast1, fast2] = await Promise.all([backend(200, 300), backend(200, 10), backend(200, 10)]);
      double.setService('lc', [instanceOf(slow), instanceOf(fast1), instanceOf(fast2)]);
      const model = microservices(double, [{ name: 'lc', loadBalancer: 'least_connections' }]);
      const services = directory();
      const registry = new ResilienceRegistry();
      // Three callers at a time, 45 calls: a busy instance is passed over while the others are free.
      let next = 0;
      const caller = async () => {
        while (next++ < 45) assert.equal((await callService(model, model.services[0], { directory: services, registry, path: '/work' })).ok, true);
      };
      await Promise.all([caller(), caller(), caller()]);
      assert.equal(slow.hits + fast1.hits + fast2.hits, 45);
      assert.ok(slow.hits < fast1.hits && slow.hits < fast2.hits, `slow ${slow.hits}, fast ${fast1.hits} and ${fast2.hits}`);
      assert.ok(slow.hits <= 8, `the slow instance took ${slow.hits} of 45`);
      registry.dispose();
    });

    it('random picks among passing instances only', async () => {
      const pool = await Promise.all([backend(), backend()]);
      const down = await backend();
      double.setService('rnd', [...pool.map((entry) => instanceOf(entry)), instanceOf(down, { status: 'critical' })]);
      const model = microservices(double, [{ name: 'rnd', loadBalancer: 'random' }]);
      const services = directory();
      for (let call = 0; call < 40; call++) assert.equal((await callService(model, model.services[0], { directory: services, path: '/work' })).ok, true);
      assert.equal(down.hits, 0);
      assert.ok(pool.every((entry) => entry.hits > 0), `hits ${pool.map((entry) => entry.hits)}`);
    });

    it('a failing instance is skipped on retry: the retry goes to another instance', async () => {
      const [failing, healthy] = await Promise.all([backend(503), backend()]);
      double.setService('retry', [instanceOf(failing, { id: 'retry-bad', node: 'n1' }), instanceOf(healthy, { id: 'retry-good', node: 'n2' })]);
      const model = microservices(double, [{ name: 'retry', loadBalancer: 'round_robin' }]);
      const services = directory();
      const registry = new ResilienceRegistry();
      for (let call = 0; call < 4; call++) {
        const result = await callService(model, model.services[0], { directory: services, registry, path: '/work' });
        assert.equal(result.ok, true, `call ${call}: ${result.error?.message}`);
        assert.equal(result.attempts.at(-1)?.instance, 'n2/retry-good');
        if (result.attempts.length > 1) assert.deepEqual(result.attempts.map((attempt) => [attempt.instance, attempt.status]), [['n1/retry-bad', 503], ['n2/retry-good', 200]]);
      }
      // Each call takes two turns (the failing one, then the other), so each starts at the failing one: once per call, never twice.
      assert.equal(failing.hits, 4);
      registry.dispose();
    });

    it('Consul down, no passing instance, an instance list that changes between two calls: clear results, nothing thrown', async () => {
      const [a, b] = await Promise.all([backend(), backend()]);
      double.setService('moving', [instanceOf(a)]);
      const model = microservices(double, [{ name: 'moving' }]);
      const services = directory();
      const first = await callService(model, model.services[0], { directory: services, path: '/work' });
      assert.equal(first.ok, true);
      assert.equal(first.attempts[0].instance?.endsWith(`moving-${a.port}`), true);
      double.setService('moving', [instanceOf(b)]);
      const second = await callService(model, model.services[0], { directory: services, path: '/work' });
      assert.equal(second.attempts[0].instance?.endsWith(`moving-${b.port}`), true, 'the next call reads the new list');

      double.setService('moving', [instanceOf(a, { status: 'critical' })]);
      const none = await callService(model, model.services[0], { directory: services, path: '/work' });
      assert.equal(none.ok, false);
      assert.equal(none.attempts.length, 0);
      assert.match(none.error!.message, /none of its 1 instances is passing/);

      double.misbehave({ kind: 'malformed' });
      const malformed = await callService(model, model.services[0], { directory: services, path: '/work' });
      assert.match(malformed.error!.message, /malformed JSON/);
    });

    it('a gRPC service is not called: a config error, nothing sent', async () => {
      const target = await backend();
      double.setService('rpc', [instanceOf(target)]);
      const model = { ...microservices(double, [{ name: 'rpc' }]), communication: { type: 'grpc' as const, timeoutMs: 1000, retries: 0 } };
      const result = await callService(model, model.services[0], { directory: directory() });
      assert.equal(result.ok, false);
      assert.equal(result.error?.kind, 'config');
      assert.match(result.error!.message, /speaks gRPC, which is not called/);
      assert.equal(target.hits, 0);
    });
  });
});
