import { mkdir, open, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ClassifiedError } from '../errors';
import { createSyncedFile } from './syncedFile';

/** A line that was not read as a record; the file keeps it (a torn tail is moved aside, see `refresh`). */
export interface StoreProblem {
  /** Absolute path of the file concerned. */
  file: string;
  /** 1-based; for a torn tail, the line it would have been. */
  line: number;
  message: string;
  /** Where a torn tail was moved. */
  setAside?: string;
}

export interface JsonLinesLimits {
  /** The file is not read, nor appended to, past this size. */
  maxBytes: number;
  /** A longer line is reported and skipped. */
  maxLineBytes: number;
}

const CHUNK_BYTES = 256 * 1024;
const NEWLINE = 0x0a;

/**
 * An append-only file of JSON records, one a line, read incrementally (only what was added since the last read).
 * Appends are one `write` of whole lines through O_APPEND, so writers in several processes never interleave within
 * a line; the caller serialises the read-modify-append parts with a lock (storeLock.ts).
 */
export class JsonLinesFile<T> {
  private offset = 0;
  private lineNumber = 0;
  private readonly loaded: T[] = [];
  private readonly found: StoreProblem[] = [];

  constructor(
    readonly path: string,
    private readonly limits: JsonLinesLimits,
    private readonly accept: (value: unknown) => value is T,
  ) {}

  get records(): readonly T[] {
    return this.loaded;
  }

  get problems(): readonly StoreProblem[] {
    return this.found;
  }

  /**
   * Reads what was appended since the last call. A last line without its newline is a write in progress, or, when
   * `locked` (no writer can be in progress), one cut short by a crash: then it is moved to a `.torn` file beside the
   * store, reported, and cut off, so the next append starts on a line of its own.
   */
  async refresh(locked: boolean): Promise<void> {
    let handle: FileHandle;
    try {
      handle = await open(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) throw new ClassifiedError('config', `${this.path} is not a regular file`);
      if (stats.size < this.offset) this.reset(); // replaced or cut by hand: read it again
      if (stats.size > this.limits.maxBytes) throw new ClassifiedError('config', `${this.path} is over ${this.limits.maxBytes} bytes; move it aside to start a new one`, 'store-full');
      await this.readFrom(handle, stats.size, locked);
    } finally {
      await handle.close();
    }
  }

  /** Appends whole lines in one write (the caller holds the lock and refreshed just before). */
  async append(records: readonly T[]): Promise<void> {
    if (records.length === 0) return;
    const text = records.map((record) => `${JSON.stringify(record)}\n`).join('');
    const bytes = Buffer.from(text, 'utf8');
    const size = await stat(this.path).then((stats) => stats.size, () => 0);
    if (size + bytes.length > this.limits.maxBytes) throw new ClassifiedError('config', `${this.path} would grow over ${this.limits.maxBytes} bytes; move it aside to start a new one`, 'store-full');
    await mkdir(dirname(this.path), { recursive: true });
    const handle = await open(this.path, 'a');
    try {
      const { bytesWritten } = await handle.write(bytes);
      if (bytesWritten !== bytes.length) throw new ClassifiedError('transient', `short write to ${this.path} (${bytesWritten} of ${bytes.length} bytes)`);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }

  private reset(): void {
    this.offset = 0;
    this.lineNumber = 0;
    this.loaded.length = 0;
    this.found.length = 0;
  }

  private async readFrom(handle: FileHandle, size: number, locked: boolean): Promise<void> {
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let skipping = false; // inside a line over the cap
    let position = this.offset;
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    while (position < size) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(CHUNK_BYTES, size - position), position);
      if (bytesRead === 0) break;
      let start = 0;
      for (let newline = chunk.indexOf(NEWLINE, 0); newline !== -1 && newline < bytesRead; newline = chunk.indexOf(NEWLINE, start)) {
        if (!skipping) pending.push(chunk.subarray(start, newline));
        this.take(skipping ? undefined : Buffer.concat(pending));
        pending = [];
        pendingBytes = 0;
        skipping = false;
        start = newline + 1;
        this.offset = position + start;
      }
      if (!skipping && start < bytesRead) {
        pending.push(Buffer.from(chunk.subarray(start, bytesRead)));
        pendingBytes += bytesRead - start;
        if (pendingBytes > this.limits.maxLineBytes) {
          skipping = true;
          pending = [];
        }
      }
      position += bytesRead;
    }
    if (this.offset < size && locked) await this.setAsideTail(handle, size);
  }

  /** One complete line (undefined: over the cap). */
  private take(line: Buffer | undefined): void {
    this.lineNumber += 1;
    if (line === undefined || line.length > this.limits.maxLineBytes) return this.problem(`line over ${this.limits.maxLineBytes} bytes, skipped`);
    const text = line.toString('utf8').trim();
    if (text === '') return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return this.problem(`not JSON (${(error as Error).message}), skipped`);
    }
    if (this.accept(value)) this.loaded.push(value);
    else this.problem('not a record of this store, skipped');
  }

  private problem(message: string, setAside?: string): void {
    this.found.push({ file: this.path, line: this.lineNumber, message, ...(setAside ? { setAside } : {}) });
  }

  private async setAsideTail(handle: FileHandle, size: number): Promise<void> {
    const tail = Buffer.alloc(Math.min(size - this.offset, this.limits.maxLineBytes));
    await handle.read(tail, 0, tail.length, this.offset);
    const aside = join(dirname(this.path), `${basename(this.path)}.torn-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    await createSyncedFile(aside, tail);
    const writable = await open(this.path, 'r+');
    try {
      await writable.truncate(this.offset);
    } finally {
      await writable.close();
    }
    this.problem(`a torn last line (${size - this.offset} bytes, a write cut short) was moved to ${basename(aside)}`, aside);
  }
}
