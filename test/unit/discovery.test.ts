import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LoadBalancer } from '../../src/runners/discovery/loadBalancer';
import { instanceBaseUrl } from '../../src/runners/discovery/serviceDirectory';
import { instancesOfHealthBody, MAX_INSTANCES, type ServiceInstance } from '../../src/runners/discovery/serviceInstance';
import { nextConsulIndex } from '../../src/runners/discovery/serviceWatch';
import { HealthMonitor } from '../../src/runners/health/healthMonitor';
import { healthResult } from '../../src/runners/health/healthResult';
import { healthKey, type HealthTarget } from '../../src/runners/health/healthTarget';
import { FakeClock, settle } from '../support/fakeClock';

const ORIGIN = 'http://127.0.0.1:8500';

/** One `/v1/health/service/<name>` entry, with only the fields read. */
function entry(fields: { node?: string; nodeAddress?: string; address?: string; port?: number; id?: string; tags?: string[]; checks?: Array<{ CheckID: string; Name?: string; Status: string }> }) {
  return {
    Node: { Node: fields.node ?? 'node-1', Address: fields.nodeAddress ?? '10.0.0.1' },
    Service: { ID: fields.id ?? 'api-1', Service: 'api', Tags: fields.tags ?? [], Address: fields.address ?? '', Port: fields.port ?? 8080 },
    Checks: fields.checks ?? [{ CheckID: 'serfHealth', Name: 'Serf Health Status', Status: 'passing' }],
  };
}

const instance = (id: string): ServiceInstance => ({ id, node: 'n', address: '127.0.0.1', port: 1, tags: [], state: 'passing', failingChecks: [] });

describe('Consul service health bodies', () => {
  it("reads node, address (the node's when the service has none), port, tags and the worst check state", () => {
    const [first, second] = instancesOfHealthBody(
      [
        entry({ tags: ['v1'], checks: [{ CheckID: 'serfHealth', Status: 'passing' }, { CheckID: 'service:api-1', Name: "Service 'api' check", Status: 'warning' }] }),
        entry({ node: 'node-2', address: '10.0.0.9', id: 'api-2', port: 9090, checks: [{ CheckID: 'serfHealth', Name: 'Serf Health Status', Status: 'critical' }] }),
      ],
      ORIGIN,
    );
    assert.deepEqual(first, { id: 'node-1/api-1', node: 'node-1', address: '10.0.0.1', port: 8080, tags: ['v1'], state: 'warning', failingChecks: ["Service 'api' check: warning"] });
    assert.equal(second.address, '10.0.0.9');
    assert.equal(second.state, 'critical', 'a node check counts for the instance');
  });

  it('says maintenance for a node or service maintenance check, whatever the others say', () => {
    const states = instancesOfHealthBody(
      [
        entry({ checks: [{ CheckID: '_node_maintenance', Status: 'critical' }] }),
        entry({ id: 'api-2', checks: [{ CheckID: '_service_maintenance:api-2', Status: 'critical' }, { CheckID: 'serfHealth', Status: 'passing' }] }),
        entry({ id: 'api-3', checks: [] }),
      ],
      ORIGIN,
    ).map((found) => found.state);
    assert.deepEqual(states, ['maintenance', 'maintenance', 'passing']);
  });

  it('refuses bodies of another shape with a located, classified error', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ Node: {} }, /expected a JSON array/],
      [[{ Node: { Node: 'n' } }], /entry 0 has no Node and Service objects/],
      [[entry({}), { ...entry({}), Service: { ID: 'x', Port: '80' } }], /entry 1 has no valid Service\.Port/],
      [[{ ...entry({}), Node: { Node: 'n', Address: '' } }], /entry 0 has neither Service\.Address nor Node\.Address/],
      [Array.from({ length: MAX_INSTANCES + 1 }, () => entry({})), /1001 instances, more than the 1000 read/],
    ];
    for (const [body, message] of cases) {
      assert.throws(() => instancesOfHealthBody(body, ORIGIN), (error: Error & { kind?: string }) => message.test(error.message) && error.message.startsWith(`Consul at ${ORIGIN}`) && error.kind === 'remote-5xx');
    }
  });

  it('builds an instance URL from the service url (scheme and base path kept) or plain http', () => {
    const at = { ...instance('n/a'), address: '10.1.2.3', port: 7000 };
    assert.equal(instanceBaseUrl({ name: 'a', url: 'https://api.internal/v2?x=1', loadBalancer: 'round_robin' }, at).href, 'https://10.1.2.3:7000/v2?x=1');
    assert.equal(instanceBaseUrl({ name: 'a', loadBalancer: 'round_robin' }, at).href, 'http://10.1.2.3:7000/');
    assert.equal(instanceBaseUrl({ name: 'a', loadBalancer: 'round_robin' }, { ...at, address: 'fd00::1' }).href, 'http://[fd00::1]:7000/');
  });
});

describe('the X-Consul-Index to send next', () => {
  it('follows the index, starts over when it goes backwards, and takes 1 for one not above 0', () => {
    assert.equal(nextConsulIndex(0, 42), 42);
    assert.equal(nextConsulIndex(42, 42), 42, 'a wait that ended without a change');
    assert.equal(nextConsulIndex(42, 57), 57);
    assert.equal(nextConsulIndex(57, 12), 0, 'backwards: a full read');
    assert.equal(nextConsulIndex(57, 0), 1);
    assert.equal(nextConsulIndex(57, -3), 1);
    assert.equal(nextConsulIndex(57, undefined), 1, 'no header');
  });
});

describe('LoadBalancer', () => {
  const pool = [instance('a'), instance('b'), instance('c')];

  it('round_robin takes them in turn and skips the ones to avoid', () => {
    const balancer = new LoadBalancer('round_robin');
    const picks = Array.from({ length: 6 }, () => balancer.acquire(pool)!.instance.id);
    assert.deepEqual(picks, ['a', 'b', 'c', 'a', 'b', 'c']);
    assert.notEqual(balancer.acquire(pool, new Set(['a', 'b']))?.instance.id, undefined);
    assert.equal(balancer.acquire(pool, new Set(['a', 'b']))!.instance.id, 'c');
    assert.equal(balancer.acquire(pool, new Set(['a', 'b', 'c'])), undefined);
  });

  it('least_connections counts requests in flight until released', () => {
    const balancer = new LoadBalancer('least_connections');
    const first = balancer.acquire(pool)!;
    const second = balancer.acquire(pool)!;
    assert.notEqual(first.instance.id, second.instance.id);
    const idle = pool.find((candidate) => candidate.id !== first.instance.id && candidate.id !== second.instance.id)!.id;
    assert.equal(balancer.acquire(pool)!.instance.id, idle, 'the only one with none in flight');
    first.release();
    first.release(); // twice counts once
    assert.equal(balancer.connections(first.instance.id), 0);
    assert.equal(balancer.acquire(pool)!.instance.id, first.instance.id);
  });

  it('random picks with the given source among those not avoided', () => {
    const rolls = [0, 0.5, 0.99];
    const balancer = new LoadBalancer('random', () => rolls.shift() ?? 0);
    assert.deepEqual([balancer.acquire(pool)!.instance.id, balancer.acquire(pool)!.instance.id, balancer.acquire(pool, new Set(['c']))!.instance.id], ['a', 'b', 'b']);
  });
});

describe('HealthMonitor and a target that watches its inputs', () => {
  function watched() {
    let listener: (() => void) | undefined;
    let probes = 0;
    let subscriptions = 0;
    const target: HealthTarget = {
      key: healthKey('microservice', 'orders'),
      name: 'orders',
      type: 'microservice',
      intervalMs: 60_000,
      fingerprint: 'f',
      probe: async () => healthResult({ state: 'healthy', latencyMs: 1, detail: `${++probes} instances pass` }),
      watch: (onChange) => {
        subscriptions++;
        listener = onChange;
        return { dispose: () => (listener = undefined) };
      },
    };
    return { target, change: () => listener?.(), probes: () => probes, subscriptions: () => subscriptions, watching: () => listener !== undefined };
  }

  it('probes again on each change while started, not on its interval; stops watching when paused or disposed', async () => {
    const clock = new FakeClock();
    const watch = watched();
    const monitor = new HealthMonitor([watch.target], { trusted: true, clock });
    assert.equal(watch.watching(), false, 'nothing watched before start');
    monitor.start();
    await settle();
    assert.equal(watch.probes(), 1);
    watch.change();
    await settle();
    watch.change();
    await settle();
    assert.equal(watch.probes(), 3, 'one probe per change, no interval passed');
    monitor.pause();
    assert.equal(watch.watching(), false);
    monitor.start();
    assert.equal(watch.watching(), true);
    assert.equal(watch.subscriptions(), 2);
    monitor.dispose();
    assert.equal(watch.watching(), false);
  });

  it('a change during a probe is probed once more after it', async () => {
    const clock = new FakeClock();
    const watch = watched();
    let release!: () => void;
    const slow: HealthTarget = { ...watch.target, probe: (signal) => new Promise((resolve) => (release = () => resolve(watch.target.probe(signal)))) };
    const monitor = new HealthMonitor([slow], { trusted: true, clock });
    monitor.start();
    await settle();
    watch.change(); // while the first probe is still running
    release();
    await settle();
    release();
    await settle();
    assert.equal(watch.probes(), 2);
    monitor.dispose();
  });

  it('untrusted: no watch at all (it would touch the network)', async () => {
    const watch = watched();
    const monitor = new HealthMonitor([watch.target], { trusted: false, clock: new FakeClock() });
    monitor.start();
    await settle();
    assert.equal(watch.subscriptions(), 0);
    assert.equal(watch.probes(), 0);
    assert.equal(monitor.results()[0].result.detail, 'workspace not trusted');
    monitor.dispose();
  });
});
