import { readdirSync } from 'node:fs';
import { join, sep } from 'node:path';

/** `.simone/integrations/*.yaml|yml` and `.simone/config/integrations.yaml|yml`, anywhere below a folder. */
const INTEGRATION_FILE = /(^|\/)\.simone\/(integrations\/[^/]+|config\/integrations)\.ya?ml$/;

export function isIntegrationFile(path: string): boolean {
  return INTEGRATION_FILE.test(path.split(sep).join('/'));
}

const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/** Every integration file below `root`, sorted, skipping node_modules and .git. */
export function findIntegrationFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) walk(path);
      } else if (entry.isFile() && isIntegrationFile(path)) {
        found.push(path);
      }
    }
  };
  walk(root);
  return found.sort();
}
