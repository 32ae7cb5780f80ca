import { setMaxListeners } from 'node:events';
import { unknownResult, type HealthResult } from './healthResult';
import type { HealthKey, HealthTarget, HealthTargetType } from './healthTarget';
import { Semaphore } from './semaphore';

export interface HealthEntry {
  key: HealthKey;
  name: string;
  type: HealthTargetType;
  result: HealthResult;
}

/** Probes in flight at once, unless told otherwise. */
export const DEFAULT_HEALTH_CONCURRENCY = 8;

/** One probe of every target, at most `concurrency` at a time; entries in target order (`unknown`, "cancelled", for those the signal stopped). */
export async function runHealthRound(targets: readonly HealthTarget[], options: { concurrency?: number; signal?: AbortSignal } = {}): Promise<HealthEntry[]> {
  const semaphore = new Semaphore(Math.max(1, options.concurrency ?? DEFAULT_HEALTH_CONCURRENCY));
  // Every probe and every waiter for a slot listens to the round's signal: one child, without the listener limit.
  const round = new AbortController();
  setMaxListeners(0, round.signal);
  const abort = () => round.abort(options.signal?.reason);
  if (options.signal?.aborted) abort();
  options.signal?.addEventListener('abort', abort, { once: true });
  const { signal } = round;
  try {
    return await Promise.all(
      targets.map(async (target) => {
        let release: () => void;
        try {
          release = await semaphore.acquire(signal);
        } catch {
          return { key: target.key, name: target.name, type: target.type, result: unknownResult('cancelled') };
        }
        try {
          return {
            key: target.key,
            name: target.name,
            type: target.type,
            result: await target.probe(signal),
          };
        } finally {
          release();
        }
      }),
    );
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
}
