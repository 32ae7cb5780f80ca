// A health round over 1,000 request_response integrations on loopback (a few local HTTP servers answering
// their health_check), at the default concurrency; baseline: the same 1,000 GETs through raw undici at the
// same concurrency. Goal (issue 4): a round under 2 s.
import { Agent, request } from 'undici';
import type { RequestResponseIntegration } from '../src/core/model';
import { integrationFromYaml } from '../test/support/integrationFromYaml';
import { createHealthProbeContext } from '../src/runners/health/healthProbeContext';
import { DEFAULT_HEALTH_CONCURRENCY, runHealthRound } from '../src/runners/health/healthRound';
import { healthTargets } from '../src/runners/health/healthTarget';
import { ResilienceRegistry } from '../src/runners/http/resilienceRegistry';
import { closeSharedAgent } from '../src/runners/http/sharedAgent';
import { medianMs, type BenchRow } from './benchRow';
import { startOkServers } from './okServers';

const INTEGRATIONS = 1000;
const SERVERS = 4;
const ROUNDS = 5;

/** A request_response integration as a user writes it, with the engine's own defaults. */
function integration(index: number, baseUrl: string, withHealthCheck: boolean): RequestResponseIntegration {
  const healthCheck = withHealthCheck ? '  health_check:\n    path: /health\n    timeout: 2s\n    expect_status: 200-299\n' : '';
  return integrationFromYaml('request_response', `integration:\n  type: request_response\n  name: service_${index}\n  base_url: ${baseUrl}\n${healthCheck}  endpoints:\n    items: /items\n`);
}


export default async function healthBench(): Promise<BenchRow[]> {
  const { servers, ports } = await startOkServers(SERVERS);
  const urls = ports.map((port) => `http://127.0.0.1:${port}`);
  const registry = new ResilienceRegistry();
  const roundOf = (withHealthCheck: boolean) => {
    const integrations = Array.from({ length: INTEGRATIONS }, (_, index) => integration(index, urls[index % SERVERS], withHealthCheck));
    const targets = healthTargets({ integrations }, createHealthProbeContext({ integrations, projectFolder: () => process.cwd(), registry }));
    return async () => {
      const entries = await runHealthRound(targets);
      const unhealthy = entries.filter((entry) => entry.result.state !== 'healthy');
      if (unhealthy.length) throw new Error(`health bench: ${unhealthy.length} not healthy, e.g. ${unhealthy[0].result.detail}`);
    };
  };
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 64 });
  const rawRound = async () => {
    let next = 0;
    const worker = async () => {
      while (next < INTEGRATIONS) {
        const index = next++;
        const response = await request(`${urls[index % SERVERS]}/health`, { dispatcher: agent });
        await response.body.dump();
      }
    };
    await Promise.all(Array.from({ length: DEFAULT_HEALTH_CONCURRENCY }, worker));
  };
  try {
    const baseline = await medianMs(ROUNDS, rawRound);
    const httpRound = await medianMs(ROUNDS, roundOf(true));
    const connectRound = await medianMs(ROUNDS, roundOf(false));
    return [
      { name: `health: round of ${INTEGRATIONS} raw undici GETs (baseline)`, value: baseline, unit: 'ms' },
      { name: `health: round of ${INTEGRATIONS} integrations, health_check GET`, value: httpRound, unit: 'ms', goal: '< 2000 ms', met: httpRound < 2000 },
      { name: `health: round of ${INTEGRATIONS} integrations, TCP connect`, value: connectRound, unit: 'ms', goal: '< 2000 ms', met: connectRound < 2000 },
      // The machine is shared: the ratio to the same run's baseline moves less than the times do.
      { name: 'health: health_check round / raw undici round', value: Math.round((httpRound / baseline) * 100) / 100, unit: 'x' },
    ];
  } finally {
    registry.dispose();
    await agent.close();
    await closeSharedAgent();
    for (const server of servers) server.closeAllConnections();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}
