import { EventEmitter, type Event } from 'cockatiel';
import { relative, sep } from 'node:path';
import type { DatabaseIntegration, SyncTableSettings } from '../../core/model';
import { SIMONE_ENTITY_SETS, type SimoneEntitySet } from '../../core/simoneEntitySets';
import type { Workspace } from '../../core/workspace';
import type { EngineServices } from '../engineServices';
import { classifyError } from '../errors';
import { systemClock, type Clock } from '../health/clock';
import { syncIntegration, type SyncIntegrationResult } from './runSync';
import { SyncState } from './syncState';
import { feeds, syncTarget } from './syncTableNames';

export type ScheduledReason = 'real_time' | 'hourly' | 'daily';

export interface ScheduledSyncRun {
  integration: string;
  sources: string[];
  reason: ScheduledReason;
  result: SyncIntegrationResult;
}

export interface SyncSchedulerOptions {
  /** The workspace folder whose `database` integrations are scheduled (and whose `.simone/` they read). */
  folder: string;
  workspace: () => Workspace;
  services: EngineServices;
  /** Quiet time after the last `.simone` change before `real_time` syncs run (default 2 s). */
  debounceMs?: number;
  clock?: Clock;
}

const INTERVAL_MS: Record<'hourly' | 'daily', number> = { hourly: 60 * 60 * 1000, daily: 24 * 60 * 60 * 1000 };

/** The entity sets a changed path under `.simone/` can touch; none for integrations, events and other files. */
function setsTouchedBy(simoneFolder: string, path: string): SimoneEntitySet[] {
  const [top] = relative(simoneFolder, path).split(sep);
  if (top === '02_REQUIREMENTS') return ['milestones'];
  if (top === '03_SPRINTS') return ['sprints', 'tasks'];
  if (top === '04_GENERAL_TASKS') return ['tasks'];
  return [];
}

const isSimoneSet = (source: string): source is SimoneEntitySet => (SIMONE_ENTITY_SETS as readonly string[]).includes(source);

/**
 * Runs `sync_frequency` as CONFIG.md says: `real_time` entries after a relevant `.simone` change (debounced, so a
 * whole sprint renamed is one run; with them the real_time table entries they feed), `hourly` and `daily` ones on
 * timers counted from the last run the sync state recorded, so a restart neither runs them early nor forgets them
 * (one overdue runs at start). `manual` entries are never run here. One run at a time per integration.
 */
export class SyncScheduler {
  private readonly ran = new EventEmitter<ScheduledSyncRun>();
  readonly onDidRun: Event<ScheduledSyncRun> = this.ran.addListener;
  private readonly clock: Clock;
  private readonly timers = new Set<unknown>();
  private readonly running = new Map<string, Promise<unknown>>();
  private debounce?: unknown;
  private changedSets = new Set<SimoneEntitySet>();
  private readonly stopping = new AbortController();
  private started = false;

  constructor(private readonly options: SyncSchedulerOptions) {
    this.clock = options.clock ?? systemClock;
  }

  private databases(): DatabaseIntegration[] {
    const workspace = this.options.workspace();
    return workspace.integrations().filter((integration): integration is DatabaseIntegration => integration.type === 'database' && integration.enabled && workspace.folderOf(integration.source.uri) === this.options.folder);
  }

  /** Arms the hourly and daily timers (reading each sync's last run first). */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const integration of this.databases()) {
      for (const frequency of ['hourly', 'daily'] as const) {
        const entries = integration.syncTables.filter((entry) => entry.syncFrequency === frequency);
        if (entries.length === 0) continue;
        const last = await this.lastRun(integration, entries);
        const due = last === undefined ? 0 : Math.max(0, last + INTERVAL_MS[frequency] - this.clock.now());
        this.arm(integration.name, entries.map((entry) => entry.source), frequency, due);
      }
    }
  }

  /** A change under `.simone/` (paths absolute; none: anything may have changed): real_time syncs run once it is quiet. */
  projectChanged(paths?: readonly string[]): void {
    if (this.stopping.signal.aborted) return;
    const simoneFolder = `${this.options.folder}${sep}.simone`;
    const sets = paths ? paths.flatMap((path) => setsTouchedBy(simoneFolder, path)) : SIMONE_ENTITY_SETS;
    if (sets.length === 0) return;
    sets.forEach((set) => this.changedSets.add(set));
    if (this.debounce !== undefined) this.clock.clearTimeout(this.debounce);
    this.debounce = this.clock.setTimeout(() => {
      this.debounce = undefined;
      const changed = this.changedSets;
      this.changedSets = new Set();
      for (const integration of this.databases()) {
        const sources = realTimeSources(integration, changed);
        if (sources.length) void this.run(integration.name, sources, 'real_time');
      }
    }, this.options.debounceMs ?? 2000);
  }

  /** Clears the timers and waits for the runs in progress (cancelled). */
  async stop(): Promise<void> {
    this.stopping.abort();
    for (const timer of this.timers) this.clock.clearTimeout(timer);
    this.timers.clear();
    if (this.debounce !== undefined) this.clock.clearTimeout(this.debounce);
    await Promise.allSettled(this.running.values());
  }

  private arm(name: string, sources: string[], frequency: 'hourly' | 'daily', inMs: number): void {
    if (this.stopping.signal.aborted) return;
    const timer = this.clock.setTimeout(async () => {
      this.timers.delete(timer);
      await this.run(name, sources, frequency);
      this.arm(name, sources, frequency, INTERVAL_MS[frequency]);
    }, inMs);
    this.timers.add(timer);
  }

  /** The latest run over the entries (the earliest would do as well: they run together). */
  private async lastRun(integration: DatabaseIntegration, entries: readonly SyncTableSettings[]): Promise<number | undefined> {
    const connections = this.options.services.databases.get(integration);
    let latest: number | undefined;
    for (const entry of entries) {
      try {
        const connection = await connections.get(entry.connection);
        const at = await new SyncState(connection, connection.schema, syncTarget(integration, entry, connection.schema).syncId).lastRunAt();
        if (at && (latest === undefined || at.getTime() > latest)) latest = at.getTime();
      } catch {
        return undefined; // unreachable now: run when due at start, and say why in that run's result
      }
    }
    return latest;
  }

  private async run(name: string, sources: string[], reason: ScheduledReason): Promise<void> {
    const previous = this.running.get(name) ?? Promise.resolve();
    const next = previous.then(async () => {
      const integration = this.databases().find((candidate) => candidate.name === name);
      if (!integration || this.stopping.signal.aborted) return;
      const wanted = sources.filter((source) => integration.syncTables.some((entry) => entry.source === source));
      if (wanted.length === 0) return;
      let result: SyncIntegrationResult;
      try {
        result = await syncIntegration(integration, { sources: wanted, projectFolder: this.options.folder, connections: this.options.services.databases.get(integration), signal: this.stopping.signal });
      } catch (error) {
        result = { integration: name, dryRun: false, ok: false, error: classifyError(error, integration.secrets), tables: [] };
      }
      this.ran.emit({ integration: name, sources: wanted, reason, result });
    });
    this.running.set(name, next);
    await next;
    if (this.running.get(name) === next) this.running.delete(name);
  }
}

/** The real_time entries reading a changed set, and the real_time table entries those feed. */
function realTimeSources(integration: DatabaseIntegration, changed: ReadonlySet<SimoneEntitySet>): string[] {
  const realTime = integration.syncTables.filter((entry) => entry.syncFrequency === 'real_time');
  const direct = realTime.filter((entry) => isSimoneSet(entry.source) && changed.has(entry.source));
  const fed = realTime.filter((entry) => !isSimoneSet(entry.source) && direct.some((earlier) => feeds(integration, earlier, entry.source)));
  return [...direct, ...fed].map((entry) => entry.source);
}
