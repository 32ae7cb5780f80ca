import type { RunnerError } from '../errors';
import type { ServiceInstance } from './serviceInstance';

/** A service's instances as last read, or why they could not be read (the outcome contract). */
export type InstanceList = { ok: true; instances: ServiceInstance[]; error?: undefined } | { ok: false; error: RunnerError };

/** Two reads that would show the same: a blocking query may return without a change. */
export function sameInstanceList(a: InstanceList | undefined, b: InstanceList): boolean {
  if (!a || a.ok !== b.ok) return false;
  if (!a.ok || !b.ok) return a.error?.message === b.error?.message;
  return JSON.stringify(a.instances) === JSON.stringify(b.instances);
}
