import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syncScenarios } from '../support/syncScenarios';

syncScenarios('PGlite', false, async () => {
  const folder = mkdtempSync(join(tmpdir(), 'simone-pglite-'));
  // A file where the data folder should be: PGlite cannot open it.
  writeFileSync(join(folder, 'not-a-folder'), 'x');
  return {
    connection: async (name) => `    - { name: ${name}, type: pglite, path: ${join(folder, name)} }`,
    badConnection: (name) => ({ yaml: `    - { name: ${name}, type: pglite, path: ${join(folder, 'not-a-folder')} }` }),
    stop: async () => rmSync(folder, { recursive: true, force: true }),
  };
});
