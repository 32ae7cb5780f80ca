import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** `.simone/integrations/*.yaml|yml` and `.simone/config/integrations.yaml|yml`, anywhere below a folder. */
const INTEGRATION_FILE = /(^|\/)\.simone\/(integrations\/[^/]+|config\/integrations)\.ya?ml$/;

export function isIntegrationFile(path: string): boolean {
  return INTEGRATION_FILE.test(path.split(sep).join('/'));
}

const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);
export const IGNORE_FILE = '.simoneignore';

/**
 * Paths a folder's `.simoneignore` asks searches to skip: one path per line,
 * relative to that folder, `#` comments. (The demo workspace keeps its broken
 * corpus out of its own search this way.)
 */
function ignoredBelow(dir: string): string[] {
  try {
    return readFileSync(join(dir, IGNORE_FILE), 'utf8')
      .split(/\r?\n/)
      .map((line) => line.replace(/#.*/, '').trim().replace(/^\.?\//, '').replace(/\/$/, ''))
      .filter(Boolean)
      .map((path) => join(dir, path));
  } catch {
    return [];
  }
}

/** Every integration file below `root`, sorted, skipping node_modules, .git and what `.simoneignore` files name. */
export function findIntegrationFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, ignored: string[]): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    const skip = entries.some((entry) => entry.name === IGNORE_FILE) ? [...ignored, ...ignoredBelow(dir)] : ignored;
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (skip.some((ignoredPath) => path === ignoredPath || !relative(ignoredPath, path).startsWith('..'))) continue;
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) walk(path, skip);
      } else if (entry.isFile() && isIntegrationFile(path)) {
        found.push(path);
      }
    }
  };
  walk(root, []);
  return found.sort();
}
