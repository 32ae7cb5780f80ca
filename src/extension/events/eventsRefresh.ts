/**
 * The one owner of when the Events view reads the event store again: only while the view is visible; changes the
 * pipeline reports (an append, a delivery) are read once their burst is over, per folder; a folder that changed
 * while the view was hidden is read when it shows again; a manual refresh reads at once. No `vscode` here (tested
 * with a fake clock).
 */
import { systemClock, type Clock } from '../../runners/health/clock';

/** A dispatch records a delivery per destination within milliseconds: one read for all of them. */
export const EVENTS_REFRESH_DEBOUNCE_MS = 150;

export class EventsRefresh {
  private visible = false;
  /** Folders that changed since the view last read them. */
  private readonly stale = new Set<string>();
  private timer?: unknown;
  private disposed = false;
  private readonly clock: Clock;
  private readonly debounceMs: number;

  constructor(
    /** Reads the folder's recent events into the view. */
    private readonly read: (folder: string) => void,
    options: { clock?: Clock; debounceMs?: number } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.debounceMs = options.debounceMs ?? EVENTS_REFRESH_DEBOUNCE_MS;
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.schedule(0);
  }

  /** The folder's store or deliveries changed. */
  changed(folder: string): void {
    if (this.disposed) return;
    this.stale.add(folder);
    if (this.visible) this.schedule(this.debounceMs);
  }

  /** Read these folders now, visible or not (the view is about to be shown, a user asked). */
  now(folders: readonly string[]): void {
    if (this.disposed) return;
    for (const folder of folders) {
      this.stale.delete(folder);
      this.read(folder);
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(ms: number): void {
    if (this.disposed || !this.stale.size) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (!this.visible) return;
      this.now([...this.stale]);
    }, ms);
  }
}
