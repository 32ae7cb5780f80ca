import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDotEnvValue, parseDotEnv } from '../../src/core/env';

describe('.env values', () => {
  it('every value written is read back as the same string', () => {
    const values = ['plain', '', 'with space', '  padded  ', 'a#b', 'x #y', 'say "hi"', "it's", '$HOME and ${X}', 'back\\slash', 'ends\\', '\\n is two characters', 'two\nlines', 'crlf\r\nend', '"', '\\"', '`cmd`'];
    const text = values.map((value, index) => `V${index}=${formatDotEnvValue(value)}\n`).join('');
    const read = parseDotEnv(text);
    values.forEach((value, index) => assert.equal(read.get(`V${index}`), value, JSON.stringify(value)));
    assert.equal(text.split('\n').length, values.length + 1, 'one line a value');
  });

  it('reads quotes, escapes and comments as dotenv files write them', () => {
    const read = parseDotEnv(['A="x \\"q\\" y" # note "z"', "B='lit\\n $X' # c", 'C=bare # comment', 'D="C:\\dir\\new"', 'export E = "multi\\nline"', 'F="unterminated', '# G=commented'].join('\n'));
    assert.deepEqual(Object.fromEntries(read), {
      A: 'x "q" y',
      B: 'lit\\n $X',
      C: 'bare',
      D: 'C:\\dir\new', // \n is a line break in double quotes, as in every dotenv
      E: 'multi\nline',
      F: '"unterminated',
    });
  });
});
