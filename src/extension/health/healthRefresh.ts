/**
 * The one owner of when health is checked in the editor: the engine's monitor runs only while someone can see the
 * result (the Integrations view is visible or the status bar item is shown), in a trusted workspace with health
 * on; edits and setting changes reach it debounced; a manual refresh goes at once. The monitor itself keeps each
 * target's interval. No `vscode` here (tested with a fake clock).
 */
import { systemClock, type Clock } from '../../runners/health/clock';

/** What the owner drives: the engine's health monitor over the current targets. */
export interface HealthDriver {
  /** Hands the monitor the targets of the current workspace and settings. */
  update(): void;
  start(): void;
  pause(): void;
  refresh(key?: string): Promise<void>;
}

/** Edits come in bursts (typing, a branch switch); settings are changed a click at a time. */
export const HEALTH_UPDATE_DEBOUNCE_MS = 500;

export class HealthRefresh {
  private driver?: HealthDriver;
  private viewVisible = false;
  private statusBarShown = false;
  private allowed = false;
  private running = false;
  private pendingUpdate?: unknown;
  private disposed = false;
  private readonly clock: Clock;
  private readonly debounceMs: number;

  /** `needDriver` is called once when health is first wanted and there is no driver yet (the engine loads lazily). */
  constructor(
    private readonly needDriver: () => void,
    options: { clock?: Clock; debounceMs?: number } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.debounceMs = options.debounceMs ?? HEALTH_UPDATE_DEBOUNCE_MS;
  }

  /** Whether the monitor should be running now. */
  get wanted(): boolean {
    return this.allowed && (this.viewVisible || this.statusBarShown);
  }

  /** The engine's monitor (again, when the engine was replaced: the new one starts as asked). */
  attach(driver: HealthDriver): void {
    this.driver = driver;
    this.running = false;
    driver.update();
    this.apply();
  }

  /** Trusted workspace and `simone.health.enabled`. */
  setAllowed(allowed: boolean): void {
    this.allowed = allowed;
    this.apply();
  }

  setViewVisible(visible: boolean): void {
    this.viewVisible = visible;
    this.apply();
  }

  setStatusBarShown(shown: boolean): void {
    this.statusBarShown = shown;
    this.apply();
  }

  /** The workspace or a setting changed: new targets, once the burst is over. */
  changed(): void {
    if (!this.driver || this.disposed) return;
    if (this.pendingUpdate !== undefined) this.clock.clearTimeout(this.pendingUpdate);
    this.pendingUpdate = this.clock.setTimeout(() => {
      this.pendingUpdate = undefined;
      this.driver?.update();
    }, this.debounceMs);
  }

  /** A user asked: probe now (one target or all), running or not, with no debounce. */
  async refreshNow(key?: string): Promise<void> {
    if (!this.allowed || this.disposed) return;
    if (!this.driver) return this.needDriver();
    if (this.pendingUpdate !== undefined) {
      this.clock.clearTimeout(this.pendingUpdate);
      this.pendingUpdate = undefined;
      this.driver.update();
    }
    await this.driver.refresh(key);
  }

  dispose(): void {
    this.disposed = true;
    if (this.pendingUpdate !== undefined) this.clock.clearTimeout(this.pendingUpdate);
    if (this.running) this.driver?.pause();
    this.running = false;
  }

  private apply(): void {
    if (this.disposed) return;
    const wanted = this.wanted;
    if (!this.driver) {
      if (wanted) this.needDriver();
      return;
    }
    if (wanted === this.running) return;
    this.running = wanted;
    if (wanted) this.driver.start();
    else this.driver.pause();
  }
}
