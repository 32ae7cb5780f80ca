/**
 * The one owner of when the editor scans a workspace folder's `.simone` project for events and sends them: a burst
 * of file changes (a sprint folder renamed, a branch switched) becomes one scan once it is over; scans of a folder
 * never overlap; what is sent follows `simone.events.dispatch` (`off`: recorded only, `ask`: a question whose
 * answer sends, skips or turns the setting to `on`, `on`: sent at once). The pipeline itself (store, scan,
 * dispatch) is the engine's. No `vscode` here (tested with a fake clock).
 */
import type { RunnerError } from '../../runners/errors';
import { systemClock, type Clock } from '../../runners/health/clock';
import type { EventsDispatch } from '../editorSettings';

/** What the loop reads of a new event. */
export interface NewEvent {
  id: string;
  type: string;
  aggregate: string;
}

/** The engine's pipeline of one folder, as far as the loop drives it. */
export interface FolderPipeline {
  scan(options: { signal?: AbortSignal }): Promise<{ ok: boolean; events: readonly NewEvent[]; error?: RunnerError }>;
  /** `eventIds`: those events only; else every pending delivery. */
  dispatch(options: { eventIds?: readonly string[]; signal?: AbortSignal }): Promise<{ ok: boolean; error?: RunnerError }>;
}

export type DispatchAnswer = 'send' | 'skip' | 'always';

export interface ProjectEventsHost {
  /** The folder's pipeline; undefined when nothing may run (untrusted) or the engine is not there. */
  pipeline(folder: string): FolderPipeline | undefined;
  mode(): EventsDispatch;
  /** Asks whether to send these events; undefined (dismissed) is a skip. */
  ask(folder: string, events: readonly NewEvent[]): Promise<DispatchAnswer | undefined>;
  /** "Always": the setting becomes `on`. */
  sendAlways(): Promise<void>;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

/** File events of one user action come within milliseconds; a slow checkout within a second. */
export const PROJECT_CHANGE_DEBOUNCE_MS = 750;

const describeEvents = (events: readonly NewEvent[]) =>
  events.length <= 3 ? events.map((event) => `${event.type} ${event.aggregate}`).join(', ') : `${events.slice(0, 3).map((event) => `${event.type} ${event.aggregate}`).join(', ')} and ${events.length - 3} more`;

export class ProjectEventsLoop {
  private readonly timers = new Map<string, unknown>();
  /** Per folder, the scan or dispatch going on (the next waits for it). */
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
    return this.serial(folder, async (pipeline) => void (await this.scanAndSend(folder, pipeline, true)));
  }

  /** Scans now (Scan Now, or after the debounce); resolves with the new events. */
  scan(folder: string): Promise<readonly NewEvent[]> {
    return this.serial(folder, (pipeline) => this.scanAndSend(folder, pipeline, false)).then((events) => events ?? []);
  }

  /** Sends every pending delivery, or these events again (Resend, Dispatch Pending): whatever the setting says. */
  dispatch(folder: string, eventIds?: readonly string[]): Promise<{ ok: boolean; error?: RunnerError } | undefined> {
    return this.serial(folder, (pipeline) => this.send(folder, pipeline, eventIds));
  }

  dispose(): void {
    this.abort.abort();
    for (const timer of this.timers.values()) this.clock.clearTimeout(timer);
    this.timers.clear();
  }

  private serial<T>(folder: string, run: (pipeline: FolderPipeline) => Promise<T>): Promise<T | undefined> {
    const previous = this.running.get(folder) ?? Promise.resolve();
    const next = previous.then(async () => {
      const pipeline = this.abort.signal.aborted ? undefined : this.host.pipeline(folder);
      return pipeline ? run(pipeline) : undefined;
    });
    const settled = next.catch(() => undefined);
    this.running.set(folder, settled);
    void settled.then(() => this.running.get(folder) === settled && this.running.delete(folder));
    return next;
  }

  /**
   * With dispatch `on`, everything pending goes after a scan that found events (or always, `pendingToo`): failed
   * deliveries are tried again, and what an earlier window derived but did not send goes now.
   */
  private async scanAndSend(folder: string, pipeline: FolderPipeline, pendingToo: boolean): Promise<readonly NewEvent[]> {
    const scanned = await pipeline.scan({ signal: this.abort.signal });
    if (!scanned.ok) this.host.log('warn', `events: the scan of ${folder} failed: ${scanned.error?.message ?? 'no reason given'}`);
    const events = scanned.ok ? scanned.events : [];
    if (events.length) this.host.log('info', `events: ${events.length} new in ${folder}: ${describeEvents(events)}`);
    const mode = this.host.mode();
    if (mode === 'on') {
      if (events.length || pendingToo) await this.send(folder, pipeline, undefined);
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
        if (answer === 'always') await this.host.sendAlways();
        if (answer === 'send' || answer === 'always') await this.dispatch(folder, asked.map((event) => event.id));
        else this.host.log('info', `events: ${asked.length} not sent (skipped); they stay pending`);
      })
      .catch((error: Error) => this.host.log('error', `events: ${error.message}`));
  }

  private async send(folder: string, pipeline: FolderPipeline, eventIds: readonly string[] | undefined): Promise<{ ok: boolean; error?: RunnerError }> {
    const result = await pipeline.dispatch({ eventIds, signal: this.abort.signal });
    if (!result.ok) this.host.log('warn', `events: dispatch in ${folder} left deliveries pending: ${result.error?.message ?? 'see the Events view'}`);
    return result;
  }
}
