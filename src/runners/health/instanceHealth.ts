import { DEFAULT_EXPECT_STATUS } from '../../core/defaults';
import type { Microservices, ServiceSettings } from '../../core/model';
import { healthCheckPath, instanceBaseUrl } from '../discovery/serviceDirectory';
import type { ConsulState, ServiceInstance } from '../discovery/serviceInstance';
import { mapConcurrent } from '../mapConcurrent';
import { checkOutcome, DEFAULT_HEALTH_TIMEOUT_MS, healthResult, isSlow, slowNote, type HealthResult, type HealthState, type ReachabilityCheck } from './healthResult';
import type { HealthProbeContext } from './healthProbeContext';
import { httpHealthCheck } from './httpHealthCheck';
import { healthUrl } from './healthUrl';
import { hostPortOf, tcpConnectCheck } from './tcpConnectCheck';

/** One instance in a service's health: what Consul says of it and what our probe found. */
export interface InstanceHealth {
  id: string;
  node: string;
  address: string;
  port: number;
  tags: string[];
  consul: ConsulState;
  /** Consul's checks that are not passing (`name: status`). */
  failingChecks: string[];
  probe: ReachabilityCheck;
  /** Consul says passing and our probe answered. */
  ok: boolean;
}

/** Instances of one service probed at once. */
const INSTANCE_CONCURRENCY = 16;
/** Failing instances the one-line detail names; every one is in the result's instances. */
const DETAILED_FAILURES = 5;

async function probeInstance(service: ServiceSettings, microservices: Microservices, instance: ServiceInstance, context: HealthProbeContext, signal: AbortSignal): Promise<ReachabilityCheck> {
  const timeoutMs = DEFAULT_HEALTH_TIMEOUT_MS;
  const base = instanceBaseUrl(service, instance);
  const path = healthCheckPath(service);
  if (!path || microservices.communication.type === 'grpc') return tcpConnectCheck('connect', hostPortOf(base), { timeoutMs, signal });
  const url = healthUrl(path, base.href, `service ${service.name}: health_check`);
  return httpHealthCheck('health_check', url, { timeoutMs, expectStatus: DEFAULT_EXPECT_STATUS, signal, dispatcher: context.dispatcher, secrets: microservices.secrets });
}

function describeInstance(entry: InstanceHealth): string {
  const consul = entry.consul === 'passing' ? '' : `consul ${entry.consul}${entry.failingChecks.length ? ` (${entry.failingChecks.join(', ')})` : ''}`;
  const probe = entry.probe.ok ? '' : `${entry.probe.target} ${entry.probe.error}`;
  return `${entry.id} at ${entry.address}:${entry.port}: ${[consul, probe].filter(Boolean).join('; ')}`;
}

/** healthy when every instance passes (Consul and our probe), degraded when some do, unhealthy when none do. */
function stateOf(instances: readonly InstanceHealth[], slow: boolean): HealthState {
  const passing = instances.filter((entry) => entry.ok).length;
  if (passing === 0) return 'unhealthy';
  return passing < instances.length || slow ? 'degraded' : 'healthy';
}

/**
 * A discovered service's health: its instances read from Consul (live when a watch runs), its
 * `health_check` (or a TCP connect without one) probed on every one of them, each instance's Consul
 * state beside our probe's result (HealthExtra `instances`). Consul unreachable or listing nothing: unhealthy.
 */
export async function discoveredServiceHealth(service: ServiceSettings, microservices: Microservices, context: HealthProbeContext, signal: AbortSignal): Promise<HealthResult> {
  const started = performance.now();
  const list = await context.discovery.instances(microservices, service, signal);
  if (!list.ok) return healthResult({ state: 'unhealthy', latencyMs: performance.now() - started, detail: list.error.message, extra: { kind: 'instances', instances: [] } }, microservices.secrets);
  const entries = await mapConcurrent(list.instances, INSTANCE_CONCURRENCY, async (instance): Promise<InstanceHealth> => {
    const probe = await probeInstance(service, microservices, instance, context, signal);
    const { id, node, address, port, tags, state, failingChecks } = instance;
    return { id, node, address, port, tags, consul: state, failingChecks, probe, ok: state === 'passing' && probe.ok };
  });
  const slowest = Math.max(0, ...entries.map((entry) => entry.probe.latencyMs));
  const slow = entries.some((entry) => entry.probe.ok && isSlow(entry.probe.latencyMs, DEFAULT_HEALTH_TIMEOUT_MS));
  const failing = entries.filter((entry) => !entry.ok);
  const summary = failing.length
    ? `${entries.length - failing.length} of ${entries.length} instances pass; ${failing.slice(0, DETAILED_FAILURES).map(describeInstance).join('; ')}${failing.length > DETAILED_FAILURES ? `; and ${failing.length - DETAILED_FAILURES} more (see the instances)` : ''}`
    : entries.length === 1 ? '1 instance passes' : `${entries.length} instances pass`;
  return healthResult(
    {
      state: stateOf(entries, slow),
      latencyMs: performance.now() - started,
      detail: slow ? `${summary}; ${slowNote(slowest, DEFAULT_HEALTH_TIMEOUT_MS)}` : summary,
      extra: { kind: 'instances', instances: entries },
    },
    microservices.secrets,
  );
}

/** A discovered service's instances as `health --format json` lists them; nothing for other targets. */
export function instancesJson(result: HealthResult): { instances?: Array<{ id: string; address: string; port: number; consul: ConsulState; probe: string; ok: boolean }> } {
  if (result.extra?.kind !== 'instances') return {};
  return { instances: result.extra.instances.map((entry) => ({ id: entry.id, address: entry.address, port: entry.port, consul: entry.consul, probe: checkOutcome(entry.probe), ok: entry.ok })) };
}
