import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { everyFeature } from '../support/everyFeature';
import { languageContext } from '../support/languageContext';
import { sharedTestdata, yamlTestCases } from '../support/sharedTestdata';

/** Every feature at several positions of every yaml-test-suite document, half-typed variants included: none may throw. */
describe('language features on arbitrary YAML', () => {
  const root = sharedTestdata('yaml-test-suite');
  it('never throw', { skip: root === undefined }, () => {
    const ctx = languageContext();
    let calls = 0;
    for (const testCase of yamlTestCases(root as string)) {
      const original = readFileSync(testCase.input, 'utf8');
      // The document as written, and cut in the middle (as while typing).
      for (const text of [original, original.slice(0, Math.floor(original.length / 2))]) {
        const lines = text.split('\n');
        const positions = [0, Math.floor(lines.length / 2), lines.length - 1].map((line) => ({ line, character: Math.floor((lines[line] ?? '').length / 2) }));
        try {
          calls += everyFeature(text, positions, ctx);
        } catch (error) {
          assert.fail(`${testCase.id}: ${(error as Error).stack}`);
        }
      }
    }
    assert.ok(calls > 1000, `only ${calls} calls`);
  });

  it('never throw anywhere in the broken examples, each line cut every few columns', () => {
    const folder = join(__dirname, '../../examples/broken/.simone/integrations');
    const ctx = languageContext();
    for (const name of readdirSync(folder)) {
      const text = readFileSync(join(folder, name), 'utf8');
      text.split('\n').forEach((line, lineNumber) => {
        for (const character of new Set([...Array.from({ length: Math.ceil(line.length / 8) }, (_, index) => index * 8), line.length])) {
          // What the file looks like while this line is being typed: the rest of the line not written yet.
          const lines = text.split('\n');
          lines[lineNumber] = line.slice(0, character);
          const typing = lines.join('\n');
          const position = { line: lineNumber, character };
          try {
            everyFeature(typing, [position], ctx);
          } catch (error) {
            assert.fail(`${name}:${lineNumber + 1}:${character}: ${(error as Error).stack}`);
          }
        }
      });
    }
  });
});
