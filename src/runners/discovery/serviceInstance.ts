/**
 * A service's instances as Consul's health endpoint lists them
 * (`GET /v1/health/service/<name>`: one entry per instance with its Node,
 * Service and Checks), read defensively: Consul's answer is outside input.
 */
import { ClassifiedError } from '../errors';

/** Consul's check states, and maintenance (a critical `_node_maintenance` / `_service_maintenance:<id>` check). */
export type ConsulState = 'passing' | 'warning' | 'critical' | 'maintenance';

export interface ServiceInstance {
  /** `node/service-id`: unique among a service's instances, stable while it is registered. */
  id: string;
  node: string;
  address: string;
  port: number;
  tags: string[];
  /** The worst of its checks (node checks included); `maintenance` wins. Static instances are `passing`. */
  state: ConsulState;
  /** The checks that are not passing, `name: status` each, for details. */
  failingChecks: string[];
}

/** More instances than this in one answer is refused rather than probed. */
export const MAX_INSTANCES = 1000;

const STATE_RANK: Record<string, number> = { passing: 0, warning: 1, critical: 2 };

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

function malformed(origin: string, what: string): ClassifiedError {
  return new ClassifiedError('remote-5xx', `Consul at ${origin} answered malformed service health: ${what}`, 'consul_malformed');
}

function isMaintenance(checkId: string): boolean {
  return checkId === '_node_maintenance' || checkId.startsWith('_service_maintenance:');
}

function instanceOf(entry: unknown, index: number, origin: string): ServiceInstance {
  if (!isObject(entry) || !isObject(entry.Node) || !isObject(entry.Service)) throw malformed(origin, `entry ${index} has no Node and Service objects`);
  const { Node: node, Service: service } = entry;
  const checks = Array.isArray(entry.Checks) ? entry.Checks.filter(isObject) : [];
  const port = service.Port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) throw malformed(origin, `entry ${index} has no valid Service.Port`);
  // Consul leaves Service.Address empty when the service runs at its node's address.
  const address = text(service.Address) || text(node.Address);
  if (!address) throw malformed(origin, `entry ${index} has neither Service.Address nor Node.Address`);
  let rank = 0;
  let maintenance = false;
  const failingChecks: string[] = [];
  for (const check of checks) {
    const status = text(check.Status);
    if (isMaintenance(text(check.CheckID))) maintenance = true;
    rank = Math.max(rank, STATE_RANK[status] ?? STATE_RANK.critical);
    if (status !== 'passing') failingChecks.push(`${text(check.Name) || text(check.CheckID) || 'check'}: ${status || 'unknown'}`);
  }
  const state: ConsulState = maintenance ? 'maintenance' : (['passing', 'warning', 'critical'] as const)[rank];
  const nodeName = text(node.Node) || address;
  const tags = Array.isArray(service.Tags) ? service.Tags.filter((tag): tag is string => typeof tag === 'string') : [];
  return { id: `${nodeName}/${text(service.ID) || text(service.Service)}`, node: nodeName, address, port, tags, state, failingChecks };
}

/** The instances of one `/v1/health/service/<name>` answer, in Consul's order; throws a classified error on a body of another shape. */
export function instancesOfHealthBody(body: unknown, origin: string): ServiceInstance[] {
  if (!Array.isArray(body)) throw malformed(origin, 'expected a JSON array');
  if (body.length > MAX_INSTANCES) throw malformed(origin, `${body.length} instances, more than the ${MAX_INSTANCES} read`);
  return body.map((entry, index) => instanceOf(entry, index, origin));
}

/** `host:port` as a URL authority (IPv6 addresses in brackets). */
export function instanceAuthority(instance: Pick<ServiceInstance, 'address' | 'port'>): string {
  return `${instance.address.includes(':') ? `[${instance.address}]` : instance.address}:${instance.port}`;
}
