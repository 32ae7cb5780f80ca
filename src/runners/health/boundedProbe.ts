import { describeDuration } from '../../core/duration';
import { healthResult, unknownResult } from './healthResult';
import type { HealthTarget } from './healthTarget';
import { raceAbort } from '../raceAbort';

/**
 * The same target, each probe given at most `timeoutMs` in all: a probe that outlives it (a database that stopped
 * answering between its checks) is unhealthy, and its signal aborts so it can stop. Its own checks keep their own
 * timeouts; this bounds their sum.
 */
export function withProbeBound<T extends HealthTarget>(target: T, timeoutMs: number): T {
  return {
    ...target,
    probe: async (signal: AbortSignal) => {
      const bounded = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
      try {
        return await raceAbort(target.probe(bounded), bounded);
      } catch {
        // Probes never throw: the caller's own cancel is no finding (a monitor drops what comes after it).
        if (signal.aborted) return unknownResult('cancelled');
        return healthResult({ state: 'unhealthy', latencyMs: timeoutMs, detail: `no answer within ${describeDuration(timeoutMs)}` });
      }
    },
  };
}
