// Consul discovery against the Consul API double (test/support/consulDouble.ts) and local HTTP instances.
// 1. A health round over 100 consul services with 10 instances each (every instance's health_check probed),
//    at the default concurrency; baseline: the same 1,000 GETs through raw undici at the same parallelism.
//    Goal (issue 13): a round under 2 s.
// 2. A change in the double (an instance added) until the health monitor announces it, through the blocking
//    query the watch holds open. Goal: under 100 ms.
import { Agent, request } from 'undici';
import type { Microservices } from '../src/core/model';
import { ServiceDirectory } from '../src/runners/discovery/serviceDirectory';
import { createHealthProbeContext } from '../src/runners/health/healthProbeContext';
import { HealthMonitor } from '../src/runners/health/healthMonitor';
import { DEFAULT_HEALTH_CONCURRENCY, runHealthRound } from '../src/runners/health/healthRound';
import { healthTargets } from '../src/runners/health/healthTarget';
import { closeSharedAgent } from '../src/runners/http/sharedAgent';
import { ConsulDouble } from '../test/support/consulDouble';
import { median, medianMs, percentile, type BenchRow } from './benchRow';
import { startOkServers } from './okServers';

const SERVICES = 100;
const INSTANCES = 10;
const ROUNDS = 5;
const CHANGES = 20;

function microservices(consul: ConsulDouble, names: string[]): Microservices {
  return {
    discovery: { type: 'consul', host: consul.host, port: consul.port, scheme: 'http' },
    services: names.map((name) => ({ name, healthCheck: '/health', loadBalancer: 'round_robin' as const })),
    communication: { type: 'http', timeoutMs: 5000, retries: 1 },
    secrets: [],
    source: { uri: 'bench.yaml', documentIndex: 0 },
  };
}


export default async function discoveryBench(): Promise<BenchRow[]> {
  const { servers, ports } = await startOkServers(INSTANCES);
  const consul = await ConsulDouble.start();
  const names = Array.from({ length: SERVICES }, (_, index) => `service_${index}`);
  for (const name of names) consul.setService(name, ports.map((port) => ({ address: '127.0.0.1', port, id: `${name}-${port}` })));
  const directory = new ServiceDirectory();
  const model = microservices(consul, names);
  const targets = healthTargets({ integrations: [], microservices: [model] }, createHealthProbeContext({ integrations: [], projectFolder: () => process.cwd(), discovery: directory }));
  const round = async () => {
    const entries = await runHealthRound(targets);
    const bad = entries.filter((entry) => entry.result.state !== 'healthy');
    if (bad.length) throw new Error(`discovery bench: ${bad.length} not healthy, e.g. ${bad[0].result.detail}`);
  };
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 64 });
  const raw = async () => {
    let next = 0;
    const total = SERVICES * INSTANCES;
    const worker = async () => {
      while (next < total) {
        const index = next++;
        const response = await request(`http://127.0.0.1:${ports[index % INSTANCES]}/health`, { dispatcher: agent });
        await response.body.dump();
      }
    };
    await Promise.all(Array.from({ length: DEFAULT_HEALTH_CONCURRENCY * INSTANCES }, worker));
  };
  const ours = await medianMs(ROUNDS, round);
  const baseline = await medianMs(ROUNDS, raw);

  // One watched service; each change adds an instance (the next port), timed until the monitor announces it.
  const watched = microservices(consul, ['watched']);
  consul.setService('watched', [{ address: '127.0.0.1', port: ports[0] }]);
  const monitor = new HealthMonitor(healthTargets({ integrations: [], microservices: [watched] }, createHealthProbeContext({ integrations: [], projectFolder: () => process.cwd(), discovery: directory })), { trusted: true });
  let waiting: { count: number; resolve: () => void } | undefined;
  monitor.onDidChange(({ result }) => {
    const count = result.extra?.kind === 'instances' ? result.extra.instances.length : 0;
    if (waiting && count === waiting.count) waiting.resolve();
  });
  const announced = (count: number) => new Promise<void>((resolve) => (waiting = { count, resolve }));
  const first = announced(1);
  monitor.start();
  await first;
  // The watch's blocking query is open once the double holds it; a change now answers it.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const latencies: number[] = [];
  for (let change = 0; change < CHANGES; change++) {
    const count = (change % (INSTANCES - 1)) + 2;
    const seen = announced(count);
    const start = performance.now();
    consul.setService('watched', ports.slice(0, count).map((port) => ({ address: '127.0.0.1', port })));
    await seen;
    latencies.push(performance.now() - start);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  monitor.dispose();
  directory.dispose();
  await agent.close();
  await closeSharedAgent();
  await consul.stop();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));

  const p50 = Math.round(median(latencies) * 10) / 10;
  const p95 = Math.round(percentile(latencies, 95) * 10) / 10;
  return [
    { name: `discovery: health round, ${SERVICES} consul services x ${INSTANCES} instances`, value: ours, unit: 'ms', goal: '< 2000 ms', met: ours < 2000 },
    { name: `discovery: raw undici, the same ${SERVICES * INSTANCES} GETs (baseline)`, value: baseline, unit: 'ms' },
    { name: 'discovery: health round vs raw undici', value: Math.round((ours / Math.max(1, baseline)) * 10) / 10, unit: 'x' },
    { name: 'discovery: Consul change to health result, median', value: p50, unit: 'ms', goal: '< 100 ms', met: p50 < 100 },
    { name: 'discovery: Consul change to health result, p95', value: p95, unit: 'ms' },
  ];
}
