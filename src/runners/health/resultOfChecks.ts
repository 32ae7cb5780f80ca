import type { BreakerState } from '../http/integrationBreaker';
import { breakerHealth, breakerNote, checkOutcome, healthResult, isSlow, slowNote, stateOfParts, worstState, type HealthExtra, type HealthResult, type ReachabilityCheck } from './healthResult';

function describeOne(check: ReachabilityCheck, timeoutMs: number): string {
  return `${check.target} ${checkOutcome(check)}${check.ok && isSlow(check.latencyMs, timeoutMs) ? `; ${slowNote(check.latencyMs, timeoutMs)}` : ''}`;
}

/** One line for several checks: what failed (or was slow) by name, else which answered. */
function describeMany(checks: readonly ReachabilityCheck[], timeoutMs: number): string {
  const problems = checks.flatMap((check) => {
    if (!check.ok) return [`${check.name}: ${check.target} ${check.error}`];
    return isSlow(check.latencyMs, timeoutMs) ? [`${check.name}: ${slowNote(check.latencyMs, timeoutMs)}`] : [];
  });
  if (!problems.length) return `${checks.map((check) => check.name).join(', ')} answer`;
  const failed = checks.filter((check) => !check.ok).length;
  return [`${checks.length - failed} of ${checks.length} answer`, ...problems].join('; ');
}

/**
 * A result from reachability checks: all answer, healthy; some, degraded;
 * none, unhealthy; any answer slower than half the timeout makes it degraded
 * at best, and a breaker that is not closed counts too. Latency is the slowest check's.
 */
export function resultOfChecks(
  checks: ReachabilityCheck[],
  options: {
    timeoutMs: number;
    breaker?: BreakerState;
    secrets?: readonly string[];
    extra?: HealthExtra;
  },
): HealthResult {
  const slow = checks.some((check) => check.ok && isSlow(check.latencyMs, options.timeoutMs));
  const state = worstState(stateOfParts(checks), slow ? 'degraded' : 'healthy', breakerHealth(options.breaker));
  const note = breakerNote(options.breaker);
  const described = checks.length === 1 ? describeOne(checks[0], options.timeoutMs) : describeMany(checks, options.timeoutMs);
  return healthResult(
    {
      state,
      latencyMs: Math.max(0, ...checks.map((check) => check.latencyMs)),
      detail: note ? `${described}; ${note}` : described,
      breaker: options.breaker,
      extra: options.extra ?? { kind: 'endpoints', checks },
    },
    options.secrets,
  );
}
