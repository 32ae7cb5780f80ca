import { existsSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { isIntegrationFile } from '../core/integrationFiles';

/** What the client is asked to watch (LSP glob patterns, relative to every workspace folder). */
export const WATCHED_GLOBS = ['**/.simone/integrations/*.{yaml,yml}', '**/.simone/config/integrations.{yaml,yml}', '**/.env'];

/**
 * Watches the folders with node:fs when the client cannot (no dynamic
 * `didChangeWatchedFiles` registration): integration files and `.env` files.
 * `deleted` is judged by whether the path still exists after the event.
 */
export function watchFolders(folders: readonly string[], changed: (path: string, deleted: boolean) => void): { dispose(): void } {
  const watchers: FSWatcher[] = [];
  for (const folder of folders) {
    try {
      const watcher = watch(folder, { recursive: true }, (_event, name) => {
        if (!name) return;
        const path = join(folder, name.toString());
        if (isIntegrationFile(path) || path.endsWith('.env')) changed(path, !existsSync(path));
      });
      // A folder that disappears or cannot be watched ends its watcher, not the server.
      watcher.on('error', () => watcher.close());
      watchers.push(watcher);
    } catch {
      // Not watchable (gone, or too many watchers): the client's own events still arrive.
    }
  }
  return { dispose: () => watchers.forEach((watcher) => watcher.close()) };
}
