/**
 * What a health probe reports, for every kind of target: a state the UI can
 * colour, the time it took, one redacted line saying why, and typed detail per
 * integration type.
 */
import { DEFAULT_MS } from '../../core/defaults';
import { redact } from '../errors';
import type { BreakerState } from '../http/integrationBreaker';
import type { SyncTableHealth } from '../sync/databaseHealth';
import type { InstanceHealth } from './instanceHealth';

export type HealthState = 'healthy' | 'degraded' | 'unhealthy' | 'unknown';

/** Used when a `health_check` gives no `timeout` (and for targets that cannot give one). */
export const DEFAULT_HEALTH_TIMEOUT_MS = DEFAULT_MS.healthTimeout;
/** Used when a `health_check` gives no `interval`. */
export const DEFAULT_HEALTH_INTERVAL_MS = DEFAULT_MS.healthInterval;

/** One thing a probe reached for: a health URL, an endpoint's host, a receiver, an event destination. */
export interface ReachabilityCheck {
  /** Its name in the config: `health_check`, `connect`, an endpoint or publisher name, `receiver`. */
  name: string;
  /** `GET <url>` or `tcp <host>:<port>`, redacted. */
  target: string;
  ok: boolean;
  latencyMs: number;
  status?: number;
  /** Why it is not ok: one line, redacted. */
  error?: string;
}

/** What a check found, in words: its error, `answered <status>`, or `accepts connections` (a TCP connect). */
export function checkOutcome(check: ReachabilityCheck): string {
  if (!check.ok) return check.error ?? 'failed';
  return check.status !== undefined ? `answered ${check.status}` : 'accepts connections';
}

export type QueueHealth = { queue: string; messageCount: number; consumerCount: number } | { queue: string; error: string };

export type HealthExtra =
  | { kind: 'endpoints'; checks: ReachabilityCheck[] }
  | { kind: 'queues'; queues: QueueHealth[] }
  | { kind: 'database'; tables: SyncTableHealth[] }
  /** A discovered service: one entry per instance Consul lists. */
  | { kind: 'instances'; instances: InstanceHealth[] }
  | {
      kind: 'destinations';
      checks: ReachabilityCheck[];
      queues: QueueHealth[];
    };

export interface HealthResult {
  state: HealthState;
  latencyMs: number;
  /** One line, secrets removed. */
  detail: string;
  /** ISO time the probe finished. */
  checkedAt: string;
  /** The integration's circuit breaker, where it has one. */
  breaker?: BreakerState;
  extra?: HealthExtra;
}

const RANK: Record<HealthState, number> = {
  unknown: 0,
  healthy: 1,
  degraded: 2,
  unhealthy: 3,
};

export function worstState(...states: HealthState[]): HealthState {
  return states.reduce((worst, state) => (RANK[state] > RANK[worst] ? state : worst), 'unknown' as HealthState);
}

/** All parts answered: healthy; none did: unhealthy; some did: degraded. */
export function stateOfParts(checks: readonly { ok: boolean }[]): HealthState {
  const failed = checks.filter((check) => !check.ok).length;
  if (failed === 0) return 'healthy';
  return failed === checks.length ? 'unhealthy' : 'degraded';
}

/** An answer that took more than half the timeout is a warning sign before it becomes a timeout. */
export function isSlow(latencyMs: number, timeoutMs: number): boolean {
  return latencyMs > timeoutMs / 2;
}

export function slowNote(latencyMs: number, timeoutMs: number): string {
  return `slow: ${Math.round(latencyMs)} ms of a ${timeoutMs} ms timeout`;
}

/** An open circuit refuses every call (unhealthy); half-open lets only trial calls through (degraded). */
export function breakerHealth(breaker: BreakerState | undefined): HealthState {
  if (breaker === 'open') return 'unhealthy';
  return breaker === 'half-open' ? 'degraded' : 'healthy';
}

/** What a breaker that is not closed means for calls, for a detail line. */
export function breakerNote(breaker: BreakerState | undefined): string | undefined {
  if (breaker === 'open') return 'circuit open: calls are refused';
  return breaker === 'half-open' ? 'circuit half-open: only trial calls pass' : undefined;
}

export function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** The finished result: latency rounded, detail on one line with every secret removed, time stamped. */
export function healthResult(
  fields: {
    state: HealthState;
    latencyMs: number;
    detail: string;
    breaker?: BreakerState;
    extra?: HealthExtra;
  },
  secrets: Iterable<string> = [],
): HealthResult {
  const secretList = [...secrets];
  const result: HealthResult = {
    state: fields.state,
    latencyMs: roundMs(fields.latencyMs),
    detail: redact(fields.detail.replace(/\s+/g, ' ').trim(), secretList),
    checkedAt: new Date().toISOString(),
  };
  if (fields.breaker) result.breaker = fields.breaker;
  if (fields.extra) result.extra = redactExtra(fields.extra, secretList);
  return result;
}

/** Checks name URLs and destinations as configured: they go out with the same secrets removed as the detail. */
function redactExtra(extra: HealthExtra, secrets: string[]): HealthExtra {
  const redactCheck = (check: ReachabilityCheck): ReachabilityCheck => ({ ...check, target: redact(check.target, secrets), ...(check.error === undefined ? {} : { error: redact(check.error, secrets) }) });
  if (extra.kind === 'instances') return { ...extra, instances: extra.instances.map((entry) => ({ ...entry, probe: redactCheck(entry.probe) })) };
  if (extra.kind !== 'endpoints' && extra.kind !== 'destinations') return extra;
  return { ...extra, checks: extra.checks.map(redactCheck) };
}

export function unknownResult(detail: string): HealthResult {
  return healthResult({ state: 'unknown', latencyMs: 0, detail });
}
