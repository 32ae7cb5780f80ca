import { setMaxListeners } from 'node:events';
import { EventEmitter, type Event, type IDisposable } from 'cockatiel';
import type { ResilienceRegistry } from '../http/resilienceRegistry';
import { systemClock, type Clock } from './clock';
import { unknownResult, type HealthResult } from './healthResult';
import { DEFAULT_HEALTH_CONCURRENCY, type HealthEntry } from './healthRound';
import type { HealthKey, HealthTarget } from './healthTarget';
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
  /** Clock time the next probe is due, kept while paused. */
  dueAt?: number;
  timer?: unknown;
  inFlight?: Promise<void>;
  /** The target's own watch (Consul instances) while started: each change re-probes it. */
  watching?: IDisposable;
  /** A change came while a probe was running (it may have read the old state): probe once more after it. */
  again?: boolean;
  /** Aborts this target's probe: on dispose, on its removal, on a change of its settings. */
  readonly probes: AbortController;
}

const DEFAULT_MAX_BACKOFF_MS = 10 * 60_000;

/** A discovered service's instances and how each fares: one appearing or leaving is news even when its count is not. */
function instancesOf(result: HealthResult): string {
  return result.extra?.kind === 'instances' ? result.extra.instances.map((entry) => `${entry.id} ${entry.consul} ${entry.ok}`).join('\n') : '';
}

/** Latencies, depths and counts move all the time; a change worth announcing changes words (or the instances). */
function materiallyDifferent(previous: HealthResult | undefined, next: HealthResult): boolean {
  if (!previous) return true;
  const words = (detail: string) => detail.replace(/\d+(\.\d+)?/g, '#');
  return previous.state !== next.state || previous.breaker !== next.breaker || words(previous.detail) !== words(next.detail) || instancesOf(previous) !== instancesOf(next);
}

/**
 * Probes every target at its interval, at most `concurrency` at once, while
 * started (not paused). A target found unhealthy waits interval x 2^n (n
 * unhealthy results in a row, up to `maxBackoffMs`) before its next probe; any
 * other result resets the wait. A target whose inputs change by themselves
 * (`watch`: a service's instances in Consul) is probed again on each change
 * while started. Announces a result only when it differs materially from the
 * last one. Targets are keyed by `type:name`; `update()` swaps the set without
 * disturbing the unchanged ones.
 */
export class HealthMonitor implements IDisposable {
  private readonly changed = new EventEmitter<HealthChange>();
  private readonly startedProbe = new EventEmitter<{ key: HealthKey }>();
  private readonly removed = new EventEmitter<{ key: HealthKey }>();
  /** A target's state, breaker or detail wording changed (not its latency or a count in its detail). */
  readonly onDidChange: Event<HealthChange> = this.changed.addListener;
  /** A probe got its slot and is running (the view shows the target as being checked). */
  readonly onDidStartProbe: Event<{ key: HealthKey }> = this.startedProbe.addListener;
  /** A target left the set (`update()` without it); its result is gone. */
  readonly onDidRemove: Event<{ key: HealthKey }> = this.removed.addListener;

  private watched = new Map<HealthKey, Watched>();
  private readonly semaphore: Semaphore;
  private readonly clock: Clock;
  private readonly subscription?: IDisposable;
  private started = false;
  private disposed = false;

  constructor(
    targets: readonly HealthTarget[],
    private readonly options: HealthMonitorOptions,
  ) {
    this.semaphore = new Semaphore(Math.max(1, options.concurrency ?? DEFAULT_HEALTH_CONCURRENCY));
    this.clock = options.clock ?? systemClock;
    this.update(targets);
    // Breakers belong to integrations, which go by name alone.
    this.subscription = options.registry?.onDidChangeBreaker(({ integration }) => {
      if (!this.started) return;
      for (const entry of this.watched.values()) {
        const { name, type } = entry.target;
        if (name === integration && type !== 'microservice' && type !== 'api_gateway') void this.probe(entry);
      }
    });
  }

  /** The latest result of every target that has one, in target order. */
  results(): HealthEntry[] {
    return [...this.watched.values()].flatMap(({ target, result }) => (result ? [{ key: target.key, name: target.name, type: target.type, result }] : []));
  }

  /**
   * Makes `targets` the watched set, in their order. A target with the same key and fingerprint keeps its result,
   * back-off and schedule; a changed one starts over (its probe in flight is dropped, its last result shown
   * until the new probe answers) and, like a new one, is probed at once when started; a missing one is dropped
   * and announced. Of two targets with one key (a duplicate name, reported elsewhere) the first is watched.
   */
  update(targets: readonly HealthTarget[]): void {
    if (this.disposed) return;
    const previous = this.watched;
    this.watched = new Map();
    const fresh: Watched[] = [];
    for (const target of targets) {
      if (this.watched.has(target.key)) continue;
      const kept = previous.get(target.key);
      previous.delete(target.key);
      if (kept?.target.fingerprint === target.fingerprint) {
        kept.target = target;
        this.watched.set(target.key, kept);
        continue;
      }
      if (kept) this.stop(kept);
      const probes = new AbortController();
      // A probe's checks (one per webhook endpoint, say) each listen to its signal.
      setMaxListeners(0, probes.signal);
      const entry: Watched = { target, failures: 0, probes, ...(kept?.result ? { result: kept.result } : {}) };
      this.watched.set(target.key, entry);
      fresh.push(entry);
    }
    for (const [key, entry] of previous) {
      this.stop(entry);
      this.removed.emit({ key });
    }
    if (this.started)
      for (const entry of fresh) {
        this.watchInputs(entry);
        this.begin(entry);
      }
  }

  /**
   * Probes every target now (once started, each then on its own schedule); after a pause, only those whose
   * probe fell due meanwhile, the others at their time. Untrusted: reports them all unknown instead.
   */
  start(): void {
    if (this.started || this.disposed) return;
    this.started = true;
    const now = this.clock.now();
    for (const entry of this.watched.values()) {
      this.watchInputs(entry);
      if (entry.inFlight) continue; // it schedules the next when done
      if (this.options.trusted && entry.dueAt !== undefined && entry.dueAt > now) this.scheduleAt(entry, entry.dueAt - now);
      else this.begin(entry);
    }
  }

  /** Stops probing on schedule (no view shows the results); probes in flight finish. `start()` resumes. */
  pause(): void {
    this.started = false;
    for (const entry of this.watched.values()) {
      this.clearTimer(entry);
      this.unwatchInputs(entry);
    }
  }

  /**
   * Probes one target (or all) now, whatever their schedule; resolves when done.
   * A probe already running is awaited rather than doubled.
   */
  async refresh(key?: HealthKey): Promise<void> {
    if (!this.options.trusted || this.disposed) return;
    const entries = key === undefined ? [...this.watched.values()] : [this.watched.get(key)].filter((entry): entry is Watched => entry !== undefined);
    await Promise.all(entries.map((entry) => this.probe(entry)));
  }

  /** Stops the schedule and aborts the probes in flight; their results are dropped. */
  dispose(): void {
    this.disposed = true;
    this.started = false;
    this.subscription?.dispose();
    for (const entry of this.watched.values()) this.stop(entry);
  }

  private begin(entry: Watched): void {
    if (this.options.trusted) void this.probe(entry);
    else this.record(entry, unknownResult('workspace not trusted'));
  }

  private stop(entry: Watched): void {
    this.clearTimer(entry);
    this.unwatchInputs(entry);
    entry.probes.abort();
  }

  /** Untrusted: a watch would touch the network, so there is none. */
  private watchInputs(entry: Watched): void {
    if (!this.options.trusted || entry.watching) return;
    entry.watching = entry.target.watch?.(() => {
      if (!this.started) return;
      if (entry.inFlight) entry.again = true;
      else void this.probe(entry);
    });
  }

  private unwatchInputs(entry: Watched): void {
    entry.watching?.dispose();
    entry.watching = undefined;
    entry.again = false;
  }

  private clearTimer(entry: Watched): void {
    if (entry.timer === undefined) return;
    this.clock.clearTimeout(entry.timer);
    entry.timer = undefined;
  }

  private probe(entry: Watched): Promise<void> {
    this.clearTimer(entry);
    entry.inFlight ??= this.run(entry).finally(() => {
      entry.inFlight = undefined;
      if (!entry.again) return;
      entry.again = false;
      if (this.started && !entry.probes.signal.aborted) void this.probe(entry);
    });
    return entry.inFlight;
  }

  private async run(entry: Watched): Promise<void> {
    const { signal } = entry.probes;
    let release: () => void;
    try {
      release = await this.semaphore.acquire(signal);
    } catch {
      return; // dropped while waiting for a slot
    }
    let result: HealthResult;
    try {
      this.startedProbe.emit({ key: entry.target.key });
      result = await entry.target.probe(signal);
    } finally {
      release();
    }
    if (signal.aborted) return;
    entry.failures = result.state === 'unhealthy' ? entry.failures + 1 : 0;
    this.record(entry, result);
    const delay = this.nextDelay(entry);
    entry.dueAt = this.clock.now() + delay;
    // Before start() (or while paused) a refresh is a one-off probe.
    if (this.started) this.scheduleAt(entry, delay);
  }

  private nextDelay(entry: Watched): number {
    const interval = entry.target.intervalMs;
    const cap = Math.max(interval, this.options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS);
    return Math.min(cap, interval * 2 ** Math.min(entry.failures, 30));
  }

  private scheduleAt(entry: Watched, delay: number): void {
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
        key: entry.target.key,
        name: entry.target.name,
        type: entry.target.type,
        result,
        ...(previous ? { previous } : {}),
      });
  }
}
