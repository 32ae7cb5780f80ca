import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { EVENTS_FOLDER } from './eventsFolder';
import { JsonLinesFile, type JsonLinesLimits, type StoreProblem } from './jsonLinesFile';
import { withFileLock } from './storeLock';
import type { Delivery, DestinationId, EventWithDeliveries, StoredEvent } from './storedEvent';


/** One line of `events.jsonl`: the event and the destinations planned for it when it was appended. */
export interface EventLine extends StoredEvent {
  destinations: DestinationId[];
}

/** The event itself, without the destinations planned for it. */
export const withoutDestinations = ({ destinations: _planned, ...event }: EventLine): StoredEvent => event;

/** An event to append: the store gives it its id, version and time. */
export type EventDraft = Omit<EventLine, 'id' | 'version' | 'time'>;

export { EVENTS_FOLDER };

export const DEFAULT_STORE_LIMITS: JsonLinesLimits = { maxBytes: 64 * 1024 * 1024, maxLineBytes: 1024 * 1024 };

/** Sections under the store lock are short file operations: one held longer than this belongs to a hung process. */
const STORE_LOCK_STALE_MS = 60_000;

const isEventLine = (value: unknown): value is EventLine => {
  const line = value as EventLine;
  return !!line && typeof line.id === 'string' && typeof line.type === 'string' && typeof line.aggregate === 'string' && Number.isInteger(line.version) && Array.isArray(line.destinations);
};
const isDelivery = (value: unknown): value is Delivery => {
  const record = value as Delivery;
  return !!record && typeof record.eventId === 'string' && typeof record.destination === 'string' && ['pending', 'delivered', 'failed', 'skipped'].includes(record.state);
};

/** What replay rebuilds from an aggregate's events. */
export interface AggregateState {
  aggregate: string;
  kind: string;
  version: number;
  /** The entity as the last event left it. */
  state: StoredEvent['data'];
  /** Event types seen, with `created`, `started`, `completed`, `finished` flags derived from them. */
  created: boolean;
  started: boolean;
  completed: boolean;
  finished: boolean;
  history: Array<Pick<StoredEvent, 'id' | 'type' | 'version' | 'time'>>;
}

/**
 * The append-only event log of one workspace folder (the seed's Event Sourcing pattern), in `.simone/events/`:
 * `events.jsonl` (one event a line, with its planned destinations) and `deliveries.jsonl` (one line per delivery
 * try; the latest line of an event and destination says where it stands). Appends from several processes are
 * serialised by `store.lock`; reads need no lock.
 */
export class EventStore {
  readonly eventsFile: JsonLinesFile<EventLine>;
  readonly deliveriesFile: JsonLinesFile<Delivery>;
  private readonly lockPath: string;
  private versions = new Map<string, number>();
  private byId = new Map<string, EventLine>();
  private versionsIndexed = 0;
  private latest = new Map<string, Map<DestinationId, Delivery>>();
  private deliveriesIndexed = 0;
  private inProcess: Promise<void> = Promise.resolve();
  private queued: Array<{ drafts: readonly EventDraft[]; resolve: (lines: EventLine[]) => void; reject: (error: unknown) => void }> = [];
  private draining = false;

  constructor(
    /** The `.simone/events` folder. */
    readonly folder: string,
    limits: JsonLinesLimits = DEFAULT_STORE_LIMITS,
  ) {
    this.eventsFile = new JsonLinesFile(join(folder, 'events.jsonl'), limits, isEventLine);
    this.deliveriesFile = new JsonLinesFile(join(folder, 'deliveries.jsonl'), limits, isDelivery);
    this.lockPath = join(folder, 'store.lock');
  }

  static forWorkspaceFolder(folder: string, limits?: JsonLinesLimits): EventStore {
    return new EventStore(join(folder, EVENTS_FOLDER), limits);
  }

  /** `work` with the store lock held and both files read up to date (a torn tail set aside first). */
  async locked<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    // Sections of this process queue here rather than poll the lock file against each other.
    const turn = this.inProcess.then(async () => {
      await mkdir(this.folder, { recursive: true });
      return withFileLock(this.lockPath, async () => {
        await this.refresh(true);
        return work();
      }, { signal, staleAfterMs: STORE_LOCK_STALE_MS, what: 'the event store' });
    });
    this.inProcess = turn.then(() => undefined, () => undefined);
    return turn;
  }

  /** Reads what other processes appended since the last read. */
  async refresh(locked = false): Promise<void> {
    await this.eventsFile.refresh(locked);
    await this.deliveriesFile.refresh(locked);
    this.index();
  }

  /** Gives drafts their ids, per-aggregate versions and the time, without writing them; call inside `locked`. */
  prepare(drafts: readonly EventDraft[], time = new Date()): EventLine[] {
    const versions = new Map<string, number>();
    return drafts.map((draft): EventLine => {
      const version = (versions.get(draft.aggregate) ?? this.versions.get(draft.aggregate) ?? 0) + 1;
      versions.set(draft.aggregate, version);
      return { id: randomUUID(), type: draft.type, aggregate: draft.aggregate, version, time: time.toISOString(), data: draft.data, ...(draft.file ? { file: draft.file } : {}), destinations: draft.destinations };
    });
  }

  /** Appends prepared events in one write; call inside the same `locked` section as `prepare`. */
  async writeLocked(lines: readonly EventLine[]): Promise<void> {
    await this.eventsFile.append(lines);
    await this.refresh(true);
  }

  /**
   * Appends events under the lock. Appends made while another is being written go together in the next write (one
   * lock, one write for all of them), so many callers at once do not queue one by one for the lock.
   */
  append(drafts: readonly EventDraft[]): Promise<EventLine[]> {
    return new Promise((resolve, reject) => {
      this.queued.push({ drafts, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    while (this.queued.length) {
      const batch = this.queued.splice(0);
      try {
        const lines = await this.locked(async () => {
          const prepared = this.prepare(batch.flatMap((item) => item.drafts));
          await this.writeLocked(prepared);
          return prepared;
        });
        let next = 0;
        for (const item of batch) item.resolve(lines.slice(next, (next += item.drafts.length)));
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
    this.draining = false;
  }

  /** The event with this id, if read. */
  event(id: string): EventLine | undefined {
    return this.byId.get(id);
  }

  /** Records where deliveries stand (one line each), under the lock. */
  async record(deliveries: readonly Delivery[], signal?: AbortSignal): Promise<void> {
    if (deliveries.length === 0) return;
    await this.locked(async () => {
      await this.deliveriesFile.append(deliveries);
      await this.refresh(true);
    }, signal);
  }

  /** Every event read so far, in store order (call `refresh` first for other processes' appends). */
  get events(): readonly EventLine[] {
    return this.eventsFile.records;
  }

  /** The events after the one with `id` (all of them without one); undefined when no event has that id. */
  since(id: string | undefined): EventLine[] | undefined {
    if (id === undefined) return [...this.events];
    const index = this.events.findIndex((event) => event.id === id);
    return index < 0 ? undefined : this.events.slice(index + 1);
  }

  /** Where the event stands at each of its planned destinations. */
  deliveriesOf(event: EventLine): Delivery[] {
    const known = this.latest.get(event.id);
    return event.destinations.map((destination) => known?.get(destination) ?? { eventId: event.id, destination, state: 'pending', attempts: 0, time: event.time });
  }

  withDeliveries(event: EventLine): EventWithDeliveries {
    return { event: withoutDestinations(event), deliveries: this.deliveriesOf(event) };
  }

  /** Lines that could not be read, and torn tails set aside. */
  get problems(): StoreProblem[] {
    return [...this.eventsFile.problems, ...this.deliveriesFile.problems];
  }

  /** Rebuilds an aggregate from its events; undefined when it has none. */
  replay(aggregate: string): AggregateState | undefined {
    let state: AggregateState | undefined;
    for (const event of this.events) {
      if (event.aggregate !== aggregate) continue;
      state ??= { aggregate, kind: event.data.kind, version: 0, state: event.data, created: false, started: false, completed: false, finished: false, history: [] };
      state.version = event.version;
      state.state = event.data;
      if (event.type.endsWith('_created')) state.created = true;
      if (event.type.endsWith('_started')) state.started = true;
      if (event.type.endsWith('_completed')) state.completed = true;
      if (event.type.endsWith('_finished')) state.finished = true;
      state.history.push({ id: event.id, type: event.type, version: event.version, time: event.time });
    }
    return state;
  }

  private index(): void {
    const events = this.eventsFile.records;
    if (events.length < this.versionsIndexed) [this.versions, this.byId, this.versionsIndexed] = [new Map(), new Map(), 0];
    for (; this.versionsIndexed < events.length; this.versionsIndexed++) {
      const event = events[this.versionsIndexed];
      this.versions.set(event.aggregate, Math.max(event.version, this.versions.get(event.aggregate) ?? 0));
      this.byId.set(event.id, event);
    }
    const deliveries = this.deliveriesFile.records;
    if (deliveries.length < this.deliveriesIndexed) [this.latest, this.deliveriesIndexed] = [new Map(), 0];
    for (; this.deliveriesIndexed < deliveries.length; this.deliveriesIndexed++) {
      const delivery = deliveries[this.deliveriesIndexed];
      let byDestination = this.latest.get(delivery.eventId);
      if (!byDestination) this.latest.set(delivery.eventId, (byDestination = new Map()));
      byDestination.set(delivery.destination, delivery);
    }
  }
}
