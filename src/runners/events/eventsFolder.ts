import { join } from 'node:path';

/**
 * Where a workspace folder keeps its event store, relative to the folder. Alone in its file so that code which must
 * not load the engine (the extension's main bundle, a file watcher) can ignore the store's own writes.
 */
export const EVENTS_FOLDER = join('.simone', 'events');

const slashed = (path: string) => path.replaceAll('\\', '/');
const within = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);
const STORE = slashed(EVENTS_FOLDER);
const SYNCED_DATA = '.simone/data';

/** Whether a path (relative to its workspace folder) is in the event store. */
export function isEventStorePath(pathInFolder: string): boolean {
  return within(slashed(pathInFolder), STORE);
}

/**
 * Whether a path (relative to its workspace folder) is where the engine itself writes below `.simone`: the event
 * store and its snapshot, a sync's PGlite data. Changes there are not project changes (a scan on them would loop
 * on its own writes).
 */
export function isEngineWrite(pathInFolder: string): boolean {
  return isEventStorePath(pathInFolder) || within(slashed(pathInFolder), SYNCED_DATA);
}
