/**
 * Remembers what verified deliveries repeat (a signed id or the signature) for `windowMs`, so a captured
 * request sent again inside the window is refused. Bounded: past `maxEntries` the oldest are forgotten.
 */
export class ReplayGuard {
  private readonly seenAt = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  has(key: string, now = Date.now()): boolean {
    this.forgetExpired(now);
    return this.seenAt.has(key);
  }

  remember(key: string, now = Date.now()): void {
    this.seenAt.set(key, now);
    for (const oldest of this.seenAt.keys()) {
      if (this.seenAt.size <= this.maxEntries) break;
      this.seenAt.delete(oldest);
    }
  }

  private forgetExpired(now: number): void {
    // Insertion order is arrival order, so expired entries sit at the front.
    for (const [key, at] of this.seenAt) {
      if (now - at < this.windowMs) break;
      this.seenAt.delete(key);
    }
  }
}
