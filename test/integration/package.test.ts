import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';

const root = resolve(__dirname, '../..');

describe('npm run package', () => {
  it('makes a .vsix under 12 MB with the bundles, schema, grammar, README and licence, and no sources or node_modules', { timeout: 300_000 }, () => {
    const out = mkdtempSync(join(tmpdir(), 'simone-vsix-'));
    try {
      const vsix = join(out, 'simone-integrations.vsix');
      // The same vsce call as `npm run package` (no repository URL exists yet, so README links stay relative), after the build `npm test` ran.
      const run = spawnSync(process.execPath, [join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsix], { cwd: root, encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr + run.stdout);
      assert.ok(statSync(vsix).size < 12 * 1024 * 1024, `${statSync(vsix).size} bytes`);
      const entries = execFileSync('unzip', ['-Z1', vsix], { encoding: 'utf8' }).trim().split('\n');
      for (const expected of ['extension/dist/extension.js', 'extension/dist/server.js', 'extension/dist/cli.js', 'extension/dist/pglite.wasm', 'extension/schemas/integration.schema.json', 'extension/syntaxes/simone-integration.tmLanguage.json', 'extension/readme.md', 'extension/LICENSE.txt']) {
        assert.ok(entries.includes(expected), `missing ${expected}`);
      }
      assert.deepEqual(entries.filter((entry) => /\/(src|test|node_modules|bench|examples)\/|\.ts$|\.map$/.test(entry)), []);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
