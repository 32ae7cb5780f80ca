import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { DIAGNOSTIC_CODES } from '../../src/core/diagnostic';

const root = resolve(__dirname, '../..');
const cliWith = (env: NodeJS.ProcessEnv, ...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), ...args], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
const cli = (...args: string[]) => cliWith({}, ...args);

interface Expected {
  code: string;
  file: string;
  line: number;
}

describe('simone-integrations validate on the examples', () => {
  it('finds the demo workspace clean', () => {
    const run = cli('validate', 'examples', '--format', 'json');
    const report = JSON.parse(run.stdout) as { files: number; diagnostics: unknown[] };
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.ok(report.files >= 5, `only ${report.files} files found`);
    assert.deepEqual(report.diagnostics, []);
  });

  it('reports every code of the config reference in examples/broken, each on the line where the problem is', () => {
    // A limit below file-too-large.yaml's size (and above every other file's), as docs/configuration.md says.
    const run = cliWith({ SIMONE_MAX_YAML_SIZE: '1KB' }, 'validate', 'examples/broken', '--format', 'json');
    assert.equal(run.status, 1, 'errors must exit 1');
    const report = JSON.parse(run.stdout) as { diagnostics: Array<{ file: string; line: number; code: string }> };
    const manifest = JSON.parse(readFileSync(join(root, 'examples/broken/expected.json'), 'utf8')) as { diagnostics: Expected[]; silenced?: Expected[] };
    const expected = manifest.diagnostics;
    const silenced = manifest.silenced ?? [];
    const seen = (entry: Expected) => report.diagnostics.some((found) => found.code === entry.code && found.line === entry.line && found.file === join('examples/broken', entry.file));
    assert.deepEqual(expected.filter((entry) => !seen(entry)), [], 'expected diagnostics not reported where expected');
    assert.deepEqual(silenced.filter(seen), [], 'silenced diagnostics were reported');
    assert.deepEqual(DIAGNOSTIC_CODES.filter((code) => !report.diagnostics.some((found) => found.code === code)), []);
  });

  it('prints text with a summary, and GitHub annotations', () => {
    const text = cli('validate', 'examples/broken');
    assert.match(text.stdout, /^examples\/broken\/\S+:\d+:\d+: (error|warning) [a-z0-9-]+: .+$/m);
    assert.match(text.stdout, /\d+ files checked: \d+ errors, \d+ warnings\n$/);
    const github = cli('validate', 'examples/broken', '--format', 'github');
    assert.match(github.stdout, /^::error file=examples\/broken\/[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=[a-z0-9-]+::.+$/m);
  });

  it('exits 2 with a one-line reason on bad usage or an unreadable path', () => {
    const missing = cli('validate', 'no/such/folder');
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^simone-integrations: cannot read no\/such\/folder.*\n$/);
    const format = cli('validate', '--format', 'xml');
    assert.equal(format.status, 2);
    assert.equal(format.stderr.trim().split('\n').length, 1);
  });
});
