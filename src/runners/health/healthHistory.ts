import { EventEmitter, type Event } from 'cockatiel';
import type { HealthResult, HealthState } from './healthResult';
import type { HealthTarget } from './healthTarget';

export interface HealthSample {
  checkedAt: string;
  state: HealthState;
  latencyMs: number;
}

/** Samples kept per target unless told otherwise: an hour at the default 30 s interval would be 120. */
export const DEFAULT_HEALTH_HISTORY = 60;

/**
 * The last probes of every target, oldest first, for a latency chart: every probe counts, not only the changes a
 * monitor announces (a latency that moves is no change of state).
 */
export class HealthHistory {
  private readonly samplesByKey = new Map<string, HealthSample[]>();
  private readonly recorded = new EventEmitter<{ key: string; result: HealthResult }>();
  readonly onDidRecord: Event<{ key: string; result: HealthResult }> = this.recorded.addListener;

  constructor(private readonly size = DEFAULT_HEALTH_HISTORY) {}

  record(key: string, result: HealthResult): void {
    let samples = this.samplesByKey.get(key);
    if (!samples) this.samplesByKey.set(key, (samples = []));
    samples.push({ checkedAt: result.checkedAt, state: result.state, latencyMs: result.latencyMs });
    if (samples.length > this.size) samples.splice(0, samples.length - this.size);
    this.recorded.emit({ key, result });
  }

  samples(key: string): readonly HealthSample[] {
    return this.samplesByKey.get(key) ?? [];
  }

  /** Drops the samples of targets no longer watched. */
  retain(keys: ReadonlySet<string>): void {
    for (const key of this.samplesByKey.keys()) if (!keys.has(key)) this.samplesByKey.delete(key);
  }

  /** The same target, its every probe result recorded under `key`. */
  recording<T extends HealthTarget>(key: string, target: T): T {
    return {
      ...target,
      probe: async (signal: AbortSignal) => {
        const result = await target.probe(signal);
        if (!signal.aborted) this.record(key, result);
        return result;
      },
    };
  }
}
