import { setMaxListeners } from 'node:events';
import { EventEmitter, type Event, type IDisposable } from 'cockatiel';
import type { ResilienceRegistry } from '../http/resilienceRegistry';
import { systemClock, type Clock } from './clock';
import { unknownResult, type HealthResult } from './healthResult';
import { DEFAULT_HEALTH_CONCURRENCY, type HealthEntry } from './healthRound';
import type { HealthTarget } from './healthTarget';
import { Semaphore } from './semaphore';

export interface HealthMonitorOptions {
  /** false (an untrusted workspace): nothing touches the network; every target is `unknown`, "workspace not trusted". */
  trusted: boolean;
  /** Probes in flight at once (default 8). */
  concurrency?: number;
  /** The longest wait between probes of a failing target (default 10 minutes, never below its interval). */
  maxBackoffMs?: number;
  clock?: Clock;
  /** When a target's circuit breaker changes state there, it is probed again at once. */
  registry?: ResilienceRegistry;
}

export interface HealthChange extends HealthEntry {
  /** The result before, when there was one. */
  previous?: HealthResult;
}

interface Watched {
  target: HealthTarget;
  result?: HealthResult;
  /** Unhealthy results in a row: the wait before the next probe doubles with each. */
  failures: number;
  timer?: unknown;
  inFlight?: Promise<void>;
}

const DEFAULT_MAX_BACKOFF_MS = 10 * 60_000;

/** Latencies, depths and counts move all the time; a change worth announcing changes words. */
function materiallyDifferent(previous: HealthResult | undefined, next: HealthResult): boolean {
  if (!previous) return true;
  const words = (detail: string) => detail.replace(/\d+(\.\d+)?/g, '#');
  return previous.state !== next.state || previous.breaker !== next.breaker || words(previous.detail) !== words(next.detail);
}

/**
 * Probes every target at its interval, at most `concurrency` at once. A
 * target found unhealthy waits interval x 2^n (n unhealthy results in a row,
 * up to `maxBackoffMs`) before its next probe; any other result resets the
 * wait. Announces a result only when it differs materially from the last one.
 */
export class HealthMonitor implements IDisposable {
  private readonly changed = new EventEmitter<HealthChange>();
  /** A target's state, breaker or detail wording changed (not its latency or a count in its detail). */
  readonly onDidChange: Event<HealthChange> = this.changed.addListener;

  private readonly watched: Watched[];
  private readonly byName = new Map<string, Watched>();
  private readonly semaphore: Semaphore;
  private readonly clock: Clock;
  private readonly lifetime = new AbortController();
  private readonly subscription?: IDisposable;
  private started = false;

  constructor(
    targets: readonly HealthTarget[],
    private readonly options: HealthMonitorOptions,
  ) {
    this.watched = targets.map((target) => ({ target, failures: 0 }));
    for (const entry of this.watched) this.byName.set(entry.target.name, entry);
    this.semaphore = new Semaphore(Math.max(1, options.concurrency ?? DEFAULT_HEALTH_CONCURRENCY));
    this.clock = options.clock ?? systemClock;
    // Every probe in flight and every waiter for a slot listens to this one signal.
    setMaxListeners(0, this.lifetime.signal);
    this.subscription = options.registry?.onDidChangeBreaker(({ integration }) => {
      if (this.started && this.byName.has(integration)) void this.refresh(integration);
    });
  }

  /** The latest result of every target that has one, in target order. */
  results(): HealthEntry[] {
    return this.watched.flatMap(({ target, result }) => (result ? [{ name: target.name, type: target.type, result }] : []));
  }

  /** Probes every target now, then each on its own schedule. Untrusted: reports them all unknown instead. */
  start(): void {
    if (this.started || this.lifetime.signal.aborted) return;
    this.started = true;
    if (!this.options.trusted) {
      for (const entry of this.watched) this.record(entry, unknownResult('workspace not trusted'));
      return;
    }
    for (const entry of this.watched) void this.probe(entry);
  }

  /**
   * Probes one target (or all) now, whatever their schedule; resolves when done.
   * A probe already running is awaited rather than doubled.
   */
  async refresh(name?: string): Promise<void> {
    if (!this.options.trusted || this.lifetime.signal.aborted) return;
    const entries = name === undefined ? this.watched : [this.byName.get(name)].filter((entry): entry is Watched => entry !== undefined);
    await Promise.all(entries.map((entry) => this.probe(entry)));
  }

  /** Stops the schedule and aborts the probes in flight; their results are dropped. */
  dispose(): void {
    this.lifetime.abort();
    this.subscription?.dispose();
    for (const entry of this.watched) if (entry.timer !== undefined) this.clock.clearTimeout(entry.timer);
  }

  private probe(entry: Watched): Promise<void> {
    if (entry.timer !== undefined) {
      this.clock.clearTimeout(entry.timer);
      entry.timer = undefined;
    }
    entry.inFlight ??= this.run(entry).finally(() => {
      entry.inFlight = undefined;
    });
    return entry.inFlight;
  }

  private async run(entry: Watched): Promise<void> {
    const signal = this.lifetime.signal;
    let release: () => void;
    try {
      release = await this.semaphore.acquire(signal);
    } catch {
      return; // disposed while waiting for a slot
    }
    let result: HealthResult;
    try {
      result = await entry.target.probe(signal);
    } finally {
      release();
    }
    if (signal.aborted) return;
    entry.failures = result.state === 'unhealthy' ? entry.failures + 1 : 0;
    this.record(entry, result);
    // Before start() a refresh is a one-off probe.
    if (this.started) this.schedule(entry);
  }

  private schedule(entry: Watched): void {
    const interval = entry.target.intervalMs;
    const cap = Math.max(interval, this.options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS);
    const delay = Math.min(cap, interval * 2 ** Math.min(entry.failures, 30));
    entry.timer = this.clock.setTimeout(() => {
      entry.timer = undefined;
      void this.probe(entry);
    }, delay);
  }

  private record(entry: Watched, result: HealthResult): void {
    const previous = entry.result;
    entry.result = result;
    if (materiallyDifferent(previous, result))
      this.changed.emit({
        name: entry.target.name,
        type: entry.target.type,
        result,
        ...(previous ? { previous } : {}),
      });
  }
}
