import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { link, open, readFile, rename, unlink } from 'node:fs/promises';
import { ClassifiedError } from '../errors';

interface LockOwner {
  pid: number;
  host: string;
  /** Tells this holding apart from a later one by the same process. */
  nonce: string;
  since: string;
}

export interface LockOptions {
  /** How long to wait for another holder (default 10 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** A holding older than this is stale even if its process lives (default: never; the store's short sections use 60 s). */
  staleAfterMs?: number;
  /** Names the holder in a "busy" error: `what` is held by ... */
  what?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(path, 'utf8')) as LockOwner;
    return typeof owner.pid === 'number' && typeof owner.nonce === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** A holder that cannot still be working: its process is gone (same host), or it has held past `staleAfterMs`. */
function stale(owner: LockOwner | undefined, staleAfterMs: number | undefined): boolean {
  if (!owner) return false; // being written, or unreadable: wait for it (the timeout bounds the wait)
  if (owner.host === hostname() && !alive(owner.pid)) return true;
  return staleAfterMs !== undefined && Date.now() - Date.parse(owner.since) > staleAfterMs;
}

/**
 * An exclusive lock between processes: a file created with O_EXCL holding its owner. A holder that died
 * (SIGKILL, a crash) leaves the file behind; the next taker sees its process gone and breaks it, by renaming it to a
 * name of its own and checking it renamed the stale holding (not a fresh one another taker just made).
 */
export async function withFileLock<T>(path: string, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const release = await acquire(path, options);
  try {
    return await work();
  } finally {
    await release();
  }
}

async function acquire(path: string, options: LockOptions): Promise<() => Promise<void>> {
  const owner: LockOwner = { pid: process.pid, host: hostname(), nonce: randomUUID(), since: new Date().toISOString() };
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  // Short waits: sections under the lock last a few milliseconds, and a long sleep would leave it idle.
  for (let wait = 1; ; wait = Math.min(wait * 2, 8)) {
    if (options.signal?.aborted) throw new ClassifiedError('cancelled', `cancelled while waiting for ${options.what ?? path}`);
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(JSON.stringify(owner));
      } finally {
        await handle.close();
      }
      return async () => {
        // Only our own holding is removed: a taker that judged us stale may have replaced it.
        if ((await readOwner(path))?.nonce === owner.nonce) await unlink(path).catch(() => undefined);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readOwner(path);
    if (stale(holder, options.staleAfterMs)) {
      await breakStale(path, holder!);
      continue;
    }
    if (Date.now() > deadline) throw new ClassifiedError('transient', `${options.what ?? path} is busy: held by process ${holder?.pid ?? '?'} since ${holder?.since ?? '?'}`, 'busy');
    await sleep(wait + Math.random() * wait);
  }
}

async function breakStale(path: string, seen: LockOwner): Promise<void> {
  const aside = `${path}.stale-${randomUUID()}`;
  try {
    await rename(path, aside);
  } catch {
    return; // someone else broke it first
  }
  const taken = await readOwner(aside);
  // We took a fresh holding someone made after our look: put it back (link fails if yet another one exists).
  if (taken?.nonce !== seen.nonce) await link(aside, path).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}
