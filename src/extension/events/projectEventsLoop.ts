/**
 * The one owner of when the editor scans a workspace folder's `.simone` project for events and sends them: a burst
 * of file changes (a sprint folder renamed, a branch switched) becomes one scan once it is over; scans of a folder
 * never overlap; what is sent follows `simone.events.dispatch` (`off`: recorded only, `ask`: a question whose
 * answer sends, skips or turns the setting to `on`, `on`: sent at once). The pipeline itself (store, scan,
 * dispatch) is the engine's. No `vscode` here (tested with a fake clock).
 */
import type { RunnerError } from '../../runners/errors';
import type { DestinationId } from '../../runners/events/storedEvent';
import { systemClock, type Clock } from '../../runners/health/clock';
import type { EventsDispatch } from '../editorSettings';

/** What the loop reads of a new event. */
export interface NewEvent {
  id: string;
  type: string;
  aggregate: string;
}

type Outcome = { ok: boolean; error?: RunnerError };
/** What to send (the engine's `DispatchOptions`): nothing given, every pending or failed delivery. */
export interface DispatchRequest {
  eventIds?: string[];
  destinations?: DestinationId[];
}

/** What a dispatch did: a delivery per event and destination it tried. */
export type DispatchOutcome = Outcome & { deliveries: ReadonlyArray<{ state: string }> };

/** The engine's pipeline of one folder (`EventPipeline`), as far as the loop drives it. */
export interface FolderPipeline {
  scan(signal?: AbortSignal): Promise<Outcome & { events: readonly NewEvent[] }>;
  /**
   * `eventIds`: those events again; else every pending or failed delivery. `destinations`: to those only (a
   * delivery row's Resend).
   */
  dispatch(options: DispatchRequest & { signal?: AbortSignal }): Promise<DispatchOutcome>;
  /** Their undelivered deliveries are not sent unless resent. */
  skip(eventIds: readonly string[]): Promise<Outcome>;
}

export type DispatchAnswer = 'send' | 'skip' | 'always';

export interface ProjectEventsHost {
  /** The folder's pipeline; undefined when nothing may run (untrusted) or the engine is not there. */
  pipeline(folder: string): FolderPipeline | undefined;
  mode(): EventsDispatch;
  /** Asks whether to send these events; undefined: dismissed, they stay pending. */
  ask(folder: string, events: readonly NewEvent[]): Promise<DispatchAnswer | undefined>;
  /** "Always": the setting becomes `on`. */
  sendAlways(): Promise<void>;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

/** File events of one user action come within milliseconds; a slow checkout within a second. */
export const PROJECT_CHANGE_DEBOUNCE_MS = 750;

/** "task_completed T01_S02, sprint_finished S02 and 4 more". */
export function describeEvents(events: readonly NewEvent[]): string {
  const named = events.slice(0, 3).map((event) => `${event.type} ${event.aggregate}`).join(', ');
  return events.length > 3 ? `${named} and ${events.length - 3} more` : named;
}

export class ProjectEventsLoop {
  private readonly timers = new Map<string, unknown>();
  /**
   * Per folder and kind, the scan or the dispatch going on (the next of its kind waits for it). Two chains: a
   * dispatch retrying a slow destination never holds back the scan of the next edit.
   */
  private readonly running = new Map<string, Promise<unknown>>();
  /** Per folder, the events of the question on screen: events found meanwhile join it. */
  private readonly asking = new Map<string, NewEvent[]>();
  private readonly abort = new AbortController();
  private readonly clock: Clock;
  private readonly debounceMs: number;

  constructor(
    private readonly host: ProjectEventsHost,
    options: { clock?: Clock; debounceMs?: number } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.debounceMs = options.debounceMs ?? PROJECT_CHANGE_DEBOUNCE_MS;
  }

  /** A file of the folder's project changed: scan once the burst is over. */
  changed(folder: string): void {
    if (this.abort.signal.aborted) return;
    const pending = this.timers.get(folder);
    if (pending !== undefined) this.clock.clearTimeout(pending);
    this.timers.set(
      folder,
      this.clock.setTimeout(() => {
        this.timers.delete(folder);
        this.scan(folder).catch((error: Error) => this.host.log('error', `events: the scan of ${folder} failed: ${error.message}`));
      }, this.debounceMs),
    );
  }

  /**
   * The folder opened (or the engine came, or trust was granted): a scan (the first one records the snapshot),
   * then, with dispatch `on`, what an earlier window left pending.
   */
  opened(folder: string): Promise<void> {
    return this.serial('scan', folder, async (pipeline) => void (await this.scanAndSend(folder, pipeline, true)));
  }

  /** Scans now (Scan Now, or after the debounce); resolves with the new events. */
  scan(folder: string): Promise<readonly NewEvent[]> {
    return this.serial('scan', folder, (pipeline) => this.scanAndSend(folder, pipeline, false)).then((events) => events ?? []);
  }

  /**
   * Sends every pending delivery, or what `request` names again (Dispatch Pending, Resend), whatever the setting
   * says; `signal` is the caller's Cancel. Undefined: nothing may run.
   */
  dispatch(folder: string, request: DispatchRequest = {}, signal?: AbortSignal): Promise<DispatchOutcome | undefined> {
    return this.serial('dispatch', folder, (pipeline) => this.send(folder, pipeline, request, signal));
  }

  dispose(): void {
    this.abort.abort();
    for (const timer of this.timers.values()) this.clock.clearTimeout(timer);
    this.timers.clear();
  }

  private serial<T>(kind: 'scan' | 'dispatch', folder: string, run: (pipeline: FolderPipeline) => Promise<T>): Promise<T | undefined> {
    const key = `${kind} ${folder}`;
    const previous = this.running.get(key) ?? Promise.resolve();
    const next = previous.then(async () => {
      const pipeline = this.abort.signal.aborted ? undefined : this.host.pipeline(folder);
      return pipeline ? run(pipeline) : undefined;
    });
    const settled = next.catch(() => undefined);
    this.running.set(key, settled);
    void settled.then(() => this.running.get(key) === settled && this.running.delete(key));
    return next;
  }

  /**
   * With dispatch `on`, everything pending goes after a scan that found events (or always, `pendingToo`): failed
   * deliveries are tried again, and what an earlier window derived but did not send goes now. The dispatch is
   * queued, not waited for.
   */
  private async scanAndSend(folder: string, pipeline: FolderPipeline, pendingToo: boolean): Promise<readonly NewEvent[]> {
    const scanned = await pipeline.scan(this.abort.signal);
    if (!scanned.ok) this.host.log('warn', `events: the scan of ${folder} failed: ${scanned.error?.message ?? 'no reason given'}`);
    const events = scanned.ok ? scanned.events : [];
    if (events.length) this.host.log('info', `events: ${events.length} new in ${folder}: ${describeEvents(events)}`);
    const mode = this.host.mode();
    if (mode === 'on') {
      if (events.length || pendingToo) this.dispatch(folder).catch((error: Error) => this.host.log('error', `events: ${error.message}`));
    } else if (!events.length) return events;
    else if (mode === 'ask') this.askAbout(folder, events);
    else this.host.log('info', 'events: simone.events.dispatch is off: recorded, not sent (Dispatch Pending Events sends them)');
    return events;
  }

  /** The question stays on screen as long as the user wants; scans go on meanwhile. */
  private askAbout(folder: string, events: readonly NewEvent[]): void {
    const open = this.asking.get(folder);
    if (open) {
      open.push(...events);
      return;
    }
    const asked = [...events];
    this.asking.set(folder, asked);
    void this.host
      .ask(folder, asked)
      .catch(() => undefined)
      .then(async (answer) => {
        this.asking.delete(folder);
        const ids = asked.map((event) => event.id);
        if (answer === 'always') await this.host.sendAlways();
        if (answer === 'send') await this.dispatch(folder, { eventIds: ids });
        else if (answer === 'always') await this.dispatch(folder);
        else if (answer === 'skip') await this.serial('dispatch', folder, (pipeline) => this.skip(folder, pipeline, ids));
        else this.host.log('info', `events: ${ids.length} not sent (the question was closed); they stay pending for Dispatch Pending Events`);
      })
      .catch((error: Error) => this.host.log('error', `events: ${error.message}`));
  }

  private async skip(folder: string, pipeline: FolderPipeline, eventIds: string[]): Promise<void> {
    const result = await pipeline.skip(eventIds);
    if (result.ok) this.host.log('info', `events: ${eventIds.length} skipped in ${folder}: sent only if resent`);
    else this.host.log('warn', `events: skipping in ${folder} failed: ${result.error?.message ?? 'no reason given'}`);
  }

  private async send(folder: string, pipeline: FolderPipeline, request: DispatchRequest, signal?: AbortSignal): Promise<DispatchOutcome> {
    const result = await pipeline.dispatch({ ...request, signal: signal ? AbortSignal.any([signal, this.abort.signal]) : this.abort.signal });
    if (!result.ok) this.host.log('warn', `events: dispatch in ${folder} left deliveries pending: ${result.error?.message ?? 'see the Events view'}`);
    return result;
  }
}
