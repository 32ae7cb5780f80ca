import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findVariableReferences, hasVariableReference, LayeredEnvironment, resolveVariables, scanVariableReferences } from '../../src/core/env';
import { diagnose, withCode } from '../support/validation';

const env = (values: Record<string, string>) => new LayeredEnvironment([{ origin: 'test', values: new Map(Object.entries(values)) }]);

/** The pattern the scanner replaced (it backtracks on long unclosed text): the reference to agree with on short text. */
const BACKTRACKING = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** A small deterministic generator (mulberry32), so a failure can be reproduced. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('${VAR} references', () => {
  it('are found with their names, defaults and offsets', () => {
    assert.deepEqual(findVariableReferences('a ${HOST}:${PORT:-5432}/${DB:-} ${1X} ${A-b} $${Z}'), [
      { name: 'HOST', start: 2, end: 9 },
      { name: 'PORT', fallback: '5432', start: 10, end: 23 },
      { name: 'DB', fallback: '', start: 24, end: 31 },
      { name: 'Z', start: 46, end: 50 },
    ]);
    assert.equal(hasVariableReference('no ${ here'), false);
    assert.equal(hasVariableReference('one ${HERE}'), true);
  });

  it('are the ones the old pattern found, on 20,000 random short texts', () => {
    const next = random(15);
    const pieces = ['${', '}', ':-', 'A', 'b_1', '9', ' ', '$', '{', '-', ':'];
    for (let round = 0; round < 20_000; round++) {
      const text = Array.from({ length: Math.floor(next() * 12) }, () => pieces[Math.floor(next() * pieces.length)]).join('');
      const expected = [...text.matchAll(BACKTRACKING)].map((match) => ({ name: match[1], ...(match[2] === undefined ? {} : { fallback: match[2] }), start: match.index, end: match.index + match[0].length }));
      assert.deepEqual(findVariableReferences(text), expected, JSON.stringify(text));
    }
  });

  it('resolve from the environment, then the default; unknown ones stay as written', () => {
    assert.deepEqual(resolveVariables('${A}/${B:-fallback}/${C}/${D:-x}', env({ A: 'a', D: '' })), { value: 'a/fallback/${C}/x', unresolved: ['C'] });
    assert.deepEqual(resolveVariables('plain', env({})), { value: 'plain', unresolved: [] });
  });

  it('report the first reference never closed, at its `${NAME:-`', () => {
    assert.deepEqual(scanVariableReferences('x ${A} ${B:-text ${C').unclosed, { name: 'B', start: 7, end: 12 });
    assert.deepEqual(scanVariableReferences('${LONG_NAME and more').unclosed, { name: 'LONG_NAME', start: 0, end: 11 });
    assert.equal(scanVariableReferences('${A:-a ${B} }').unclosed, undefined, 'a default ends at the first }');
  });

  it('scan 100 KB of unclosed `${A:-` in linear time (well under 2 s; the old pattern took 8 s)', () => {
    const text = `\${A:-${'and then ${B:-'.repeat(7_500)}`;
    const start = performance.now();
    const scan = scanVariableReferences(text);
    const resolved = resolveVariables(text, env({}));
    const ms = performance.now() - start;
    assert.deepEqual(scan, { references: [], unclosed: { name: 'A', start: 0, end: 5 } });
    assert.equal(resolved.value, text);
    assert.ok(ms < 2_000, `${ms.toFixed(0)} ms`);
  });

  it('never closed is an env-unclosed error at the reference, and the value is used literally', () => {
    const text = 'integration:\n  type: webhook\n  name: hooks\n  description: "calls ${API_URL:-https://api.example.com"\n';
    const [unclosed, ...others] = withCode(diagnose(text), 'env-unclosed');
    assert.deepEqual(others, []);
    assert.equal(unclosed.severity, 'error');
    assert.match(unclosed.message, /^\$\{API_URL is never closed: end the reference with \}/);
    assert.deepEqual(unclosed.range, { start: { line: 3, character: 22 }, end: { line: 3, character: 33 } });
    assert.deepEqual(withCode(diagnose(text), 'env-undefined'), [], 'an unclosed reference is not also an unknown variable');
  });
});
