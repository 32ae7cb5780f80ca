import { compareKeys } from './compareKeys';
import { SyncError } from './syncError';
import type { KeyHash } from './syncSource';

/** Walks a stream of key-ordered batches one entry at a time, checking the order (a repeat means a duplicate key). */
export class KeyHashReader {
  private batch: KeyHash[] = [];
  private index = 0;
  private ended = false;
  private last: string | undefined;
  private readonly iterator: AsyncIterator<KeyHash[]>;

  constructor(
    stream: AsyncIterable<KeyHash[]>,
    private readonly what: string,
    private readonly onBatch: (size: number) => void = () => undefined,
  ) {
    this.iterator = stream[Symbol.asyncIterator]();
  }

  /** True when `fill` must be awaited before `peek`. */
  get needsFill(): boolean {
    return this.index >= this.batch.length && !this.ended;
  }

  async fill(): Promise<void> {
    const next = await this.iterator.next();
    this.batch = next.done ? [] : next.value;
    this.index = 0;
    this.ended = !!next.done;
    if (!next.done) this.onBatch(next.value.length);
  }

  peek(): KeyHash | undefined {
    const entry = this.batch[this.index];
    if (entry && entry.key === null) throw new SyncError('source', `${this.what}: a row has no value in its key column`);
    return entry;
  }

  advance(): void {
    const key = this.batch[this.index].key;
    if (this.last !== undefined && compareKeys(this.last, key) >= 0) throw new SyncError('source', `${this.what}: key "${key}" appears more than once (keys must be unique)`);
    this.last = key;
    this.index++;
  }

  async close(): Promise<void> {
    await this.iterator.return?.();
  }
}
