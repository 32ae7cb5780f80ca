import type { SqlSession } from './sqlConnection';
import { syncCancelled, syncFailure } from './syncFailure';

/** First key of every sync lock ("SIMO"), so the runner's locks never collide with an application's. */
const LOCK_SPACE = 0x53494d4f;
const POLL_MS = 50;

/**
 * Takes the transaction-level advisory lock of a sync, waiting up to `timeoutMs` for a run holding it to end.
 * Held until the transaction ends, however it ends (a killed client's transaction ends with its connection).
 */
export async function lockSync(session: SqlSession, syncId: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [{ locked }] = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked', [LOCK_SPACE, syncId]);
    if (locked) return;
    if (signal?.aborted) throw syncCancelled(`sync ${syncId}, while waiting for another run`);
    if (Date.now() >= deadline) throw syncFailure('busy', `sync ${syncId} is busy: another run holds it (waited ${Math.round(timeoutMs / 1000)} s)`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
