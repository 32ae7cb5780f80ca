import type { Clock } from '../../src/runners/health/clock';

/** Timers that fire only when the test moves time on. */
export class FakeClock implements Clock {
  private nextId = 0;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();

  /** `start`: the time it starts at (epoch ms, when what is scheduled depends on real times such as a database's). */
  constructor(private time = 0) {}

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.nextId;
    this.timers.set(id, { at: this.time + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pending(): number {
    return this.timers.size;
  }

  /** Moves time on by `ms`, firing due timers in order and letting the probes they start finish. */
  async advance(ms: number): Promise<void> {
    await settle();
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers].filter(([, timer]) => timer.at <= end).sort(([, a], [, b]) => a.at - b.at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
      await settle();
    }
    this.time = end;
    await settle();
  }
}

export const settle = () => new Promise((resolve) => setImmediate(resolve));
