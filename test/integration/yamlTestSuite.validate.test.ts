import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { sharedTestdata, yamlTestCases } from '../support/sharedTestdata';

const suite = sharedTestdata('yaml-test-suite');

describe('yaml-test-suite through `simone-integrations validate`', { skip: suite === undefined }, () => {
  const cases = suite ? yamlTestCases(suite) : [];

  it('validates every case in one run, without a crash or hang, and flags every error case', () => {
    assert.ok(cases.length > 300, `expected the whole corpus, found ${cases.length} cases`);
    // One CLI process over all inputs: a crash fails the run, a hang hits the timeout.
    const run = spawnSync(process.execPath, ['--import', 'tsx', resolve(__dirname, '../../src/cli/main.ts'), 'validate', '--format', 'json', ...cases.map((entry) => entry.input)], {
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 256 * 1024 * 1024,
    });
    assert.equal(run.signal, null, `validate was killed (${run.signal}): a hang`);
    assert.ok(run.status === 0 || run.status === 1, `validate exited ${run.status}: ${run.stderr}`);
    const report = JSON.parse(run.stdout) as { files: number; diagnostics: Array<{ file: string; code: string }> };
    assert.equal(report.files, cases.length);
    const syntaxErrors = new Set(report.diagnostics.filter((entry) => entry.code === 'yaml-syntax').map((entry) => entry.file));
    const missed = cases.filter((entry) => entry.expectsError && !syntaxErrors.has(entry.input)).map((entry) => entry.id);
    assert.deepEqual(missed, [], 'error cases without a yaml-syntax diagnostic');
  });
});
