/** Bytes shared by every request being read: a request takes what it buffers and gives it back when done. */
export class BodyBudget {
  private held = 0;

  constructor(private readonly limit: number) {}

  get available(): number {
    return this.limit - this.held;
  }

  /** false, taking nothing, when `bytes` do not fit. */
  tryTake(bytes: number): boolean {
    if (bytes > this.available) return false;
    this.held += bytes;
    return true;
  }

  give(bytes: number): void {
    this.held = Math.max(0, this.held - bytes);
  }
}
