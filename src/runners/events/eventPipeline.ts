import { EventEmitter, type Event } from 'cockatiel';
import { basename, join, resolve, sep } from 'node:path';
import { nodeFileSystem, typeAt, type WorkspaceFileSystem } from '../../core/fileSystem';
import type { Integration } from '../../core/model';
import { diffProjects } from '../../core/simone/diffProjects';
import type { ProjectProblem, SimoneProject } from '../../core/simone/entities';
import { FrontMatterCache } from '../../core/simone/frontMatterCache';
import { readSimoneProject } from '../../core/simone/readProject';
import { DEFAULT_TEXT_LIMITS, type TextLimits } from '../../core/textLimits';
import type { Workspace } from '../../core/workspace';
import type { EngineServices } from '../engineServices';
import { cancelledError, classifyError, runnerError, type RunnerError } from '../errors';
import { mapConcurrent } from '../mapConcurrent';
import type { RunEvent } from '../runEvents';
import { deliverToDestination, destinationsFor } from './eventDestinations';
import { EventStore, withoutDestinations, type EventDraft, type EventLine } from './eventStore';
import type { StoreProblem } from './jsonLinesFile';
import { eventEntity, projectOf, ScanJournal, snapshotOf, type ProjectSnapshot } from './projectSnapshot';
import { withFileLock } from './storeLock';
import type { Delivery, DeliveryState, DestinationId, EventWithDeliveries, StoredEvent } from './storedEvent';

export interface EventPipelineOptions {
  /** The workspace folder (absolute) whose `.simone/` is scanned and whose `.simone/events/` holds the store. */
  folder: string;
  /** The workspace as it is now (called on every scan and dispatch): its integrations of this folder give the destinations. */
  workspace: () => Workspace;
  services: EngineServices;
  fileSystem?: WorkspaceFileSystem;
  /** For reading the project's Markdown (default: the command line's). */
  limits?: TextLimits;
  /** The CloudEvents' `source` workspace part (default: the folder's name). */
  workspaceName?: string;
  /** How long a dispatch waits for another process's dispatch to finish (default 30 s). */
  dispatchWaitMs?: number;
}

export interface ScanResult {
  ok: boolean;
  error?: RunnerError;
  /** No snapshot was there: this scan recorded one and reports no events. */
  firstScan: boolean;
  /** The events appended, in store order. */
  events: StoredEvent[];
  /** Project files that could not be read (their entities keep their last known state). */
  problems: ProjectProblem[];
  /** Store lines that could not be read, torn tails set aside. */
  storeProblems: StoreProblem[];
}

export interface DispatchOptions {
  /** Say what would be sent; send and record nothing. */
  dryRun?: boolean;
  /** Send these events to all their destinations again (the editor's "Resend"), whatever their state. */
  eventIds?: string[];
  /** Only these destinations: with `eventIds`, those events to these destinations; without, their pending and failed deliveries. */
  destinations?: DestinationId[];
  signal?: AbortSignal;
  /** Live attempts, backoffs and rejections of the deliveries, as every runner reports them. */
  onEvent?: (event: RunEvent & { eventId: string; destination: DestinationId }) => void;
}

/** What one dispatch did for one event at one destination. */
export interface DispatchedDelivery {
  eventId: string;
  type: string;
  aggregate: string;
  version: number;
  destination: DestinationId;
  /** After a send: `delivered` or `failed`; in a dry run, where it stands now (what would be sent). */
  state: DeliveryState;
  /** Attempts in this dispatch. */
  attempts: number;
  status?: number;
  error?: RunnerError;
  durationMs: number;
}

export interface DispatchResult {
  ok: boolean;
  /** The first failure, saying how many failed; or why nothing was sent (another dispatch held on, the store unreadable). */
  error?: RunnerError;
  dryRun: boolean;
  deliveries: DispatchedDelivery[];
}

export interface EventsChange {
  reason: 'appended' | 'delivery' | 'refreshed';
  eventIds: string[];
}

/** Destinations sent to at once; each destination gets its events one after another, in store order. */
const DESTINATION_CONCURRENCY = 8;

/**
 * The events of one workspace folder, end to end: `scan` derives the events of what changed in `.simone/` since the
 * last scan and appends them with their destinations; `dispatch` sends what is not delivered yet (and records each
 * delivery as it ends, so a process that dies sends, on its next start, only what was not confirmed). Results
 * follow the outcome contract: `{ok, error?}`, never a throw for a failed run.
 */
export class EventPipeline {
  readonly store: EventStore;
  readonly folder: string;
  private readonly journal: ScanJournal;
  private readonly changed = new EventEmitter<EventsChange>();
  private savedSnapshot?: string;
  /** Later scans of this pipeline re-read only the project files that changed. */
  private readonly readCache = new FrontMatterCache();
  private disposed = false;

  /** The store or a delivery changed through this pipeline (or `refresh` found another process's lines). */
  readonly onDidChange: Event<EventsChange> = this.changed.addListener;

  constructor(private readonly options: EventPipelineOptions) {
    this.folder = resolve(options.folder);
    this.store = EventStore.forWorkspaceFolder(this.folder);
    this.journal = new ScanJournal(this.store.folder);
  }

  /** The integrations of this folder in the current workspace. */
  integrations(): Integration[] {
    const workspace = this.options.workspace();
    return workspace.integrations().filter((integration) => workspace.folderOf(integration.source.uri) === this.folder);
  }

  private get workspaceName(): string {
    return this.options.workspaceName ?? basename(this.folder);
  }

  /**
   * Compares `.simone/` with the last snapshot and appends the events of the difference (stable order: milestones,
   * sprints, tasks, each by id). The first scan records the snapshot and reports none.
   */
  async scan(signal?: AbortSignal): Promise<ScanResult> {
    const failed = (error: RunnerError, problems: ProjectProblem[] = []): ScanResult => ({ ok: false, error, firstScan: false, events: [], problems, storeProblems: this.store.problems });
    if (signal?.aborted) return failed(cancelledError('scan'));
    // Nothing is created in a folder that is not a Simone project.
    if (typeAt(this.options.fileSystem ?? nodeFileSystem, join(this.folder, '.simone')) !== 'folder') return failed(runnerError('config', `${this.folder} has no .simone folder: not a Simone project`));
    try {
      return await this.store.locked(async () => {
        const previous = await this.journal.load((id) => this.store.event(id) !== undefined);
        const project = readSimoneProject(join(this.folder, '.simone'), this.options.fileSystem, this.options.limits ?? DEFAULT_TEXT_LIMITS, this.readCache);
        const current = keepUnreadable(project, previous, this.folder);
        const snapshot = snapshotOf(current, this.folder);
        const result = (events: StoredEvent[]): ScanResult => ({ ok: true, firstScan: !previous, events, problems: project.problems, storeProblems: this.store.problems });
        if (!previous) {
          await this.saveSnapshot(snapshot);
          return result([]);
        }
        const integrations = this.integrations();
        const drafts = diffProjects(projectOf(previous, this.folder), current).map((derived): EventDraft => {
          const data = eventEntity(derived.entity, this.folder);
          return { type: derived.name, aggregate: derived.entity.id, data, file: data.file, destinations: destinationsFor(derived.name, integrations) };
        });
        if (drafts.length === 0) {
          await this.saveSnapshot(snapshot);
          return result([]);
        }
        const lines = this.store.prepare(drafts);
        await this.journal.begin(snapshot, lines.map((line) => line.id));
        await this.store.writeLocked(lines);
        await this.journal.commit();
        this.savedSnapshot = snapshotText(snapshot);
        this.fire('appended', lines.map((line) => line.id));
        return result(lines.map(withoutDestinations));
      }, signal);
    } catch (error) {
      return failed(signal?.aborted ? cancelledError('scan') : classifyError(error));
    }
  }

  /** Sends every event not yet delivered to each of its destinations (or, with `eventIds`, those events again). */
  async dispatch(options: DispatchOptions = {}): Promise<DispatchResult> {
    const dryRun = options.dryRun ?? false;
    if (typeAt(nodeFileSystem, this.store.folder) !== 'folder') return { ok: true, dryRun, deliveries: [] }; // no scan yet: no event
    try {
      if (dryRun) return this.sendAll(options, true);
      return await withFileLock(join(this.store.folder, 'dispatch.lock'), () => this.sendAll(options, false), {
        timeoutMs: this.options.dispatchWaitMs ?? 30_000, signal: options.signal, what: 'dispatching (another process is sending these events)',
      });
    } catch (error) {
      return { ok: false, error: options.signal?.aborted ? cancelledError('dispatch') : classifyError(error), dryRun, deliveries: [] };
    }
  }

  /** Marks deliveries as skipped (the editor's "Skip"): a dispatch without `eventIds` leaves them; a resend sends them. */
  async skip(eventIds: readonly string[], signal?: AbortSignal): Promise<{ ok: boolean; error?: RunnerError }> {
    try {
      await this.store.refresh();
      const records = this.eventsById(eventIds).flatMap((event) => this.store.deliveriesOf(event).filter((delivery) => delivery.state !== 'delivered').map((delivery): Delivery => ({ ...delivery, state: 'skipped', time: new Date().toISOString() })));
      await this.store.record(records, signal);
      this.fire('delivery', [...eventIds]);
      return { ok: true };
    } catch (error) {
      return { ok: false, error: classifyError(error) };
    }
  }

  /** The last `limit` events, newest first, with where each stands at each destination (rejects when the store cannot be read). */
  async recent(limit = 50): Promise<EventWithDeliveries[]> {
    await this.store.refresh();
    return this.store.events.slice(-Math.max(0, limit)).reverse().map((event) => this.store.withDeliveries(event));
  }

  /** Reads what other processes appended; fires `onDidChange` when there was something. */
  async refresh(): Promise<void> {
    const before = this.store.events.length + this.store.deliveriesFile.records.length;
    await this.store.refresh();
    if (this.store.events.length + this.store.deliveriesFile.records.length !== before) this.fire('refreshed', []);
  }

  dispose(): void {
    this.disposed = true;
  }

  private fire(reason: EventsChange['reason'], eventIds: string[]): void {
    if (!this.disposed) this.changed.emit({ reason, eventIds });
  }

  private async saveSnapshot(snapshot: ProjectSnapshot): Promise<void> {
    const text = snapshotText(snapshot);
    if (text === this.savedSnapshot) return;
    await this.journal.save(snapshot);
    this.savedSnapshot = text;
  }

  private eventsById(eventIds: readonly string[]): EventLine[] {
    return eventIds.map((id) => {
      const event = this.store.event(id);
      if (!event) throw new EventNotFound(id);
      return event;
    });
  }

  private async sendAll(options: DispatchOptions, dryRun: boolean): Promise<DispatchResult> {
    await this.store.refresh();
    let work: Array<{ event: EventLine; destination: DestinationId; attemptsBefore: number; stateBefore: DeliveryState }>;
    try {
      work = (options.eventIds ? this.eventsById(options.eventIds) : this.store.events).flatMap((event) =>
        this.store.deliveriesOf(event)
          .filter((delivery) => options.eventIds !== undefined || delivery.state === 'pending' || delivery.state === 'failed')
          .filter((delivery) => !options.destinations || options.destinations.includes(delivery.destination))
          .map((delivery) => ({ event, destination: delivery.destination, attemptsBefore: delivery.attempts, stateBefore: delivery.state })),
      );
    } catch (error) {
      if (error instanceof EventNotFound) return { ok: false, error: runnerError('config', error.message), dryRun, deliveries: [] };
      throw error;
    }
    const summary = (item: (typeof work)[number]) => ({ eventId: item.event.id, type: item.event.type, aggregate: item.event.aggregate, version: item.event.version, destination: item.destination });
    if (dryRun) return { ok: true, dryRun, deliveries: work.map((item) => ({ ...summary(item), state: item.stateBefore, attempts: 0, durationMs: 0 })) };

    const byDestination = new Map<DestinationId, typeof work>();
    for (const item of work) byDestination.set(item.destination, [...(byDestination.get(item.destination) ?? []), item]);
    const context = { integrations: this.integrations(), services: this.options.services, workspaceName: this.workspaceName, signal: options.signal };
    const done: DispatchedDelivery[] = [];
    await mapConcurrent([...byDestination.values()], DESTINATION_CONCURRENCY, async (items) => {
      for (const item of items) {
        if (options.signal?.aborted) return;
        const onEvent = options.onEvent && ((event: RunEvent) => options.onEvent!({ ...event, eventId: item.event.id, destination: item.destination }));
        const outcome = await deliverToDestination(item.event, item.destination, { ...context, onEvent });
        const state: DeliveryState = outcome.ok ? 'delivered' : 'failed';
        const record: Delivery = { eventId: item.event.id, destination: item.destination, state, attempts: item.attemptsBefore + outcome.attempts, time: new Date().toISOString(), ...(outcome.error ? { error: outcome.error } : {}) };
        // Recorded as soon as it ends: a process that dies now resends only what is still in flight.
        await this.store.record([record]);
        this.fire('delivery', [item.event.id]);
        done.push({ ...summary(item), state, attempts: outcome.attempts, ...(outcome.status !== undefined ? { status: outcome.status } : {}), ...(outcome.error ? { error: outcome.error } : {}), durationMs: outcome.durationMs });
      }
    });
    const order = new Map(work.map((item, index) => [`${item.event.id} ${item.destination}`, index]));
    done.sort((a, b) => order.get(`${a.eventId} ${a.destination}`)! - order.get(`${b.eventId} ${b.destination}`)!);
    const failed = done.filter((delivery) => delivery.state !== 'delivered');
    const notStarted = work.length - done.length;
    let error: RunnerError | undefined;
    if (failed.length) error = runnerError(failed[0].error?.kind ?? 'transient', `${failed.length} of ${work.length} deliveries failed (they stay pending); ${failed[0].destination}: ${failed[0].error?.message ?? 'not delivered'}`, failed[0].error?.code);
    else if (notStarted) error = cancelledError(`dispatch; ${notStarted} deliveries left pending`);
    return { ok: !error, ...(error ? { error } : {}), dryRun, deliveries: done };
  }
}

class EventNotFound extends Error {
  constructor(readonly id: string) {
    super(`no event "${id}" in the store`);
  }
}

const snapshotText = (snapshot: ProjectSnapshot) => JSON.stringify({ ...snapshot, scannedAt: undefined });

/**
 * The project read, with the entities of files that could not be read this time kept as the last snapshot had them:
 * a task file saved half-edited must not look deleted (and come back as a new task).
 */
function keepUnreadable(project: SimoneProject, previous: ProjectSnapshot | undefined, workspaceFolder: string): Pick<SimoneProject, 'milestones' | 'sprints' | 'tasks'> {
  if (!previous || project.problems.length === 0) return project;
  const unreadable = project.problems.map((problem) => resolve(problem.file));
  const affected = (file: string) => {
    const path = resolve(workspaceFolder, file);
    return unreadable.some((bad) => path === bad || path.startsWith(bad + sep));
  };
  const before = projectOf(previous, workspaceFolder);
  const merge = <T extends { id: string; filePath: string }>(now: T[], then: T[]): T[] => {
    const ids = new Set(now.map((entity) => entity.id));
    const kept = then.filter((entity) => !ids.has(entity.id) && affected(entity.filePath));
    return kept.length ? [...now, ...kept].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) : now;
  };
  return { milestones: merge(project.milestones, before.milestones), sprints: merge(project.sprints, before.sprints), tasks: merge(project.tasks, before.tasks) };
}
