import { join } from 'node:path';

/**
 * Where a workspace folder keeps its event store, relative to the folder. Alone in its file so that code which must
 * not load the engine (the extension's main bundle, a file watcher) can ignore the store's own writes.
 */
export const EVENTS_FOLDER = join('.simone', 'events');
