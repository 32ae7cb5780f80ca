import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

interface Rule {
  match?: string;
  name?: string;
  captures?: Record<string, { name: string }>;
}
interface Grammar {
  scopeName: string;
  patterns: Array<{ include: string }>;
  injections: Record<string, { patterns: Array<{ include: string }> }>;
  repository: Record<string, Rule>;
}

const grammar = JSON.parse(readFileSync(new URL('../../syntaxes/simone-integration.tmLanguage.json', import.meta.url), 'utf8')) as Grammar;

/** The rule's regex run as JavaScript: the grammar keeps to the subset both engines share. */
const regexOf = (rule: string): RegExp => new RegExp(grammar.repository[rule].match!, 'g');
const matches = (rule: string, text: string): string[] => [...text.matchAll(regexOf(rule))].map((match) => match[0]);

describe('simone-integration TextMate grammar', () => {
  it('embeds YAML and injects only rules it defines', () => {
    assert.equal(grammar.scopeName, 'source.simone-integration');
    assert.deepEqual(grammar.patterns, [{ include: 'source.yaml' }]);
    const included = Object.values(grammar.injections).flatMap((injection) => injection.patterns.map((pattern) => pattern.include));
    assert.deepEqual(included.sort(), ['#duration', '#top-level-key', '#variable']);
    for (const include of included) assert.ok(grammar.repository[include.slice(1)]?.match, include);
    for (const selector of Object.keys(grammar.injections)) assert.match(selector, /^L:source\.simone-integration /);
  });

  it('highlights ${VAR} and ${VAR:-default}, whole or inside a string', () => {
    assert.deepEqual(matches('variable', '${DB_URL}'), ['${DB_URL}']);
    assert.deepEqual(matches('variable', '${X:-1}'), ['${X:-1}']);
    assert.deepEqual(matches('variable', 'https://${HOST}/api?key=${KEY:-}'), ['${HOST}', '${KEY:-}']);
    assert.deepEqual(matches('variable', '$DB_URL {X} ${1X} ${}'), []);
    const [whole] = [...'${X:-1}'.matchAll(regexOf('variable'))];
    const captures = grammar.repository.variable.captures!;
    assert.equal(captures['2'].name, 'variable.other.env.simone');
    assert.equal(whole[2], 'X');
    assert.equal(captures['4'].name, 'string.unquoted.default.simone');
    assert.equal(whole[4], '1');
  });

  it('highlights durations standing on their own, not numbers with words or inside paths', () => {
    assert.equal(grammar.repository.duration.name, 'constant.numeric.duration.simone');
    for (const duration of ['30s', '1m30s', '250ms', '1.5h', '1d']) assert.deepEqual(matches('duration', duration), [duration], duration);
    assert.deepEqual(matches('duration', '[30s, 5m]'), ['30s', '5m']);
    for (const text of ['30 seconds', '30', 'abc30s', '/v1/5m', 'https://x/30s', '30sec', 'h1m', '${T:-30s}x']) assert.deepEqual(matches('duration', text), [], text);
  });

  it('marks the document kind keys at column 0 only', () => {
    assert.equal(grammar.repository['top-level-key'].captures!['1'].name, 'keyword.other.document-kind.simone');
    for (const key of ['integration:', 'microservices:', 'api_gateway: # gateway']) assert.equal(matches('top-level-key', key).length, 1, key);
    for (const text of ['  integration:', 'integrations:', 'integration_x:', 'integration:x']) assert.deepEqual(matches('top-level-key', text), [], text);
  });
});
