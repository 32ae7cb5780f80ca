// Hostile integration files, built at test time (never committed: several are hundreds of KB):
// `node --import tsx test/robustness/generateCorpus.ts DIR` writes them to DIR/.simone/integrations/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DiagnosticCode } from '../../src/core/diagnostic';

/** A diagnostic that must be reported, where the CLI prints it (1-based). */
export interface ExpectedDiagnostic {
  code: DiagnosticCode;
  line: number;
  column: number;
  /** A part of its message. */
  message: string;
}

export interface HostileInput {
  name: string;
  text: string;
  expected: ExpectedDiagnostic[];
  /** How many diagnostics in all, where that is part of the point. */
  count?: number;
  /** For the inputs that used to take seconds or forever: a generous bound on CPU time (ms) that only a regression to quadratic breaks. */
  timeBoundMs?: number;
}

/** Line and column (1-based) of an offset, counting LF, CRLF and CR alone as line breaks. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (const lineBreak of text.slice(0, offset).matchAll(/\r\n?|\n/g)) {
    line++;
    lineStart = lineBreak.index + lineBreak[0].length;
  }
  return { line, column: offset - lineStart + 1 };
}

/** The expected diagnostic at the `nth` (0-based) occurrence of `needle`, plus `shift` characters. */
function at(text: string, needle: string, code: DiagnosticCode, message: string, options: { nth?: number; shift?: number } = {}): ExpectedDiagnostic {
  let offset = -1;
  for (let seen = 0; seen <= (options.nth ?? 0); seen++) offset = text.indexOf(needle, offset + 1);
  if (offset < 0) throw new Error(`corpus: "${needle.slice(0, 40)}" not in the text`);
  return { code, ...positionOf(text, offset + (options.shift ?? 0)), message };
}

const DEEP = 'nested deeper than 512 levels';
const SLOW_BOUND_MS = 2_000;

const api = (body: string) => `integration:\n  type: request_response\n  name: hostile\n  base_url: https://api.example.com\n  endpoints:\n${body}`;
/** A second document with one known problem: what follows a hostile document is still checked. */
const AFTER = '---\nintegration:\n  type: request_respons\n  name: after\n';
const afterExpected = (text: string): ExpectedDiagnostic => at(text, 'request_respons\n', 'schema-enum', 'Did you mean "request_response"');
const badTimeout = '  timeout: 30 seconds\n';
const timeoutExpected = (text: string): ExpectedDiagnostic => at(text, '30 seconds', 'duration-invalid', 'is not a duration');

function unclosedReference(): HostileInput {
  // Each `${B:-` is unclosed too: a backtracking pattern rescans the rest of the text from every one of them.
  const text = api(`    status: /status\n  description: "Calls \${A:-${'and then ${B:-'.repeat(7_500)}"\n`);
  return { name: 'unclosed-reference-100kb', text, expected: [at(text, '${A:-', 'env-unclosed', '${A is never closed')], count: 1, timeBoundMs: SLOW_BOUND_MS };
}

function manyAliases(): HostileInput {
  const aliases = Array.from({ length: 20_000 }, (_, index) => `    e${index + 1}: *status\n`).join('');
  const text = api(`    e0: &status /status\n${aliases}`) + badTimeout;
  return { name: 'aliases-20000', text, expected: [timeoutExpected(text)], count: 1, timeBoundMs: SLOW_BOUND_MS };
}

function aliasesPastTheCap(): HostileInput {
  // The anchored endpoint is 27 nodes (a map, 3 keys and values, headers: a map of 10 pairs): 3,703 aliases fit in 100,000.
  const headers = Array.from({ length: 10 }, (_, index) => `H${index}: v`).join(', ');
  const aliases = Array.from({ length: 5_000 }, (_, index) => `    e${index + 1}: *endpoint\n`).join('');
  const text = api(`    e0: &endpoint {url: /status, method: GET, headers: {${headers}}}\n${aliases}`) + badTimeout;
  return {
    name: 'aliases-past-the-cap',
    text,
    expected: [at(text, '    e3704: *endpoint', 'yaml-syntax', 'expand to more than 100,000 nodes', { shift: 11 }), timeoutExpected(text)],
    count: 2,
  };
}

function billionLaughs(): HostileInput {
  const names = 'abcdefghi';
  const lines = [`        a: &a [${Array(9).fill('lol').join(', ')}]`];
  for (let level = 1; level < names.length; level++) lines.push(`        ${names[level]}: &${names[level]} [${Array(9).fill(`*${names[level - 1]}`).join(', ')}]`);
  const text = api(`    status:\n      url: /status\n      body:\n${lines.join('\n')}\n`) + badTimeout;
  // Sizes 10, 91, 820, 7,381, 66,430: the aliases of b to e cost 74,718 nodes, and the first *e in f passes 100,000.
  return { name: 'billion-laughs', text, expected: [at(text, 'f: &f [*e', 'yaml-syntax', 'expand to more than 100,000 nodes', { shift: 7 }), timeoutExpected(text)], count: 2 };
}

function aliasChainTooDeep(): HostileInput {
  // Each anchor nests the one before 10 levels deeper, so following the aliases goes deeper than any one of them is written.
  const lines = ['        l0: &l0 [x]'];
  for (let step = 1; step <= 60; step++) lines.push(`        l${step}: &l${step} ${'['.repeat(10)}*l${step - 1}${']'.repeat(10)}`);
  const text = api(`    status:\n      url: /status\n      body:\n${lines.join('\n')}\n`);
  // The alias in l51 sits at level 15 and l50 is 502 levels deep.
  return { name: 'alias-chain-too-deep', text, expected: [at(text, '*l50]', 'yaml-syntax', DEEP)] };
}

function selfAlias(): HostileInput {
  const text = api(`    status:\n      url: /status\n      body: &loop [1, *loop]\n`) + badTimeout;
  return { name: 'alias-inside-its-anchor', text, expected: [at(text, '*loop', 'yaml-syntax', 'inside its own anchor'), timeoutExpected(text)], count: 2 };
}

function deepBlockMaps(levels: number): HostileInput {
  // Line n (1-based) opens level n: `integration:` is level 1, each key one space further in opens the next.
  const keys = Array.from({ length: levels - 1 }, (_, index) => `${' '.repeat(index + 1)}k:\n`).join('');
  const text = `integration:\n${keys}${AFTER}`;
  return { name: `deep-block-maps-${levels / 1000}k`, text, expected: [{ code: 'yaml-syntax', line: 513, column: 513, message: DEEP }, afterExpected(text)], count: 2 };
}

function deepBlockSequences(levels: number): HostileInput {
  // Compact nested lists (`- - - x`), then a line back at the top: closing them all at once recursed in the parser.
  const text = `integration:\n  type: webhook\n  name: deep\n  endpoints:\n  ${'- '.repeat(levels)}x\n  timeout: 1m\n${AFTER}`;
  // The body of `integration` is level 2, so the first dash (column 3) opens level 3 and dash k level k + 2.
  return { name: `deep-block-sequences-${levels / 1000}k`, text, expected: [{ code: 'yaml-syntax', line: 5, column: 3 + 2 * 510, message: DEEP }, afterExpected(text)], count: 2, timeBoundMs: SLOW_BOUND_MS };
}

function deepFlow(levels: number): HostileInput {
  const text = `integration:\n  type: webhook\n  name: deep\n  endpoints: ${'['.repeat(levels)}${']'.repeat(levels)}\n${AFTER}`;
  // The first `[` (column 14) is level 3.
  return { name: `deep-flow-${levels / 1000}k`, text, expected: [{ code: 'yaml-syntax', line: 4, column: 14 + 510, message: DEEP }, afterExpected(text)], count: 2, timeBoundMs: SLOW_BOUND_MS };
}

function unknownVariables(): HostileInput {
  const references = Array.from({ length: 60_000 }, (_, index) => `\${UNKNOWN_${index}}`).join('');
  const text = api(`    status: /status\n  description: "${references}"\n`);
  return {
    name: 'unknown-variables-60000',
    text,
    expected: [at(text, '${UNKNOWN_0}', 'env-undefined', 'is not defined'), at(text, '${UNKNOWN_1000}', 'env-undefined', '59,000 more problems in this file (59,000 env-undefined)')],
    count: 1_001,
    timeBoundMs: SLOW_BOUND_MS,
  };
}

function lineBreaks(name: string, lineBreak: string): HostileInput {
  const text = (api('    status: /status\n') + badTimeout).replace(/\n/g, lineBreak);
  return { name, text, expected: [{ code: 'duration-invalid', line: 7, column: 12, message: 'is not a duration' }], count: 1 };
}

function afterFlowCollection(): HostileInput {
  // The issue's case: the parser counts no line breaks after a top-level flow collection.
  const text = '{a: 1}\nb\nc\nd\ne: 1\n';
  return { name: 'lines-after-flow-collection', text, expected: [{ code: 'yaml-syntax', line: 5, column: 2, message: 'map-value-ind' }] };
}

function longLine(): HostileInput {
  const text = api(`    status: /status\n  description: ${'x'.repeat(1_000_000)}\n`) + badTimeout;
  return { name: 'long-line-1mb', text, expected: [timeoutExpected(text)], count: 1 };
}

function hugeKeys(): HostileInput {
  // Explicit keys (`? key`), since YAML limits implicit keys to 1,024 characters.
  const keys = Array.from({ length: 100 }, (_, index) => `  ? ${'k'.repeat(10_000)}${index}\n  : 1\n`).join('');
  const text = api('    status: /status\n') + keys;
  return { name: 'huge-keys', text, expected: [at(text, '? k', 'schema-unknown-property', 'Unknown property', { shift: 2 })], count: 100 };
}

function manyDocuments(): HostileInput {
  const documents = Array.from({ length: 10_000 }, (_, index) => `---\nintegration:\n  type: webhook\n  name: hook_${index}\n  endpoints:\n    - name: in\n      secret: \${HOOK_SECRET:-x}\n`).join('');
  const text = `${documents}---\nintegration:\n  type: webhook\n  name: last\n  endpoints:\n    - name: in\n      secret: \${HOOK_SECRET:-x}\n  timeout: 30 seconds\n`;
  return { name: 'many-documents-10000', text, expected: [timeoutExpected(text)], count: 1 };
}

export function hostileInputs(): HostileInput[] {
  return [
    unclosedReference(),
    manyAliases(),
    aliasesPastTheCap(),
    billionLaughs(),
    aliasChainTooDeep(),
    selfAlias(),
    deepBlockMaps(1_000),
    deepBlockSequences(10_000),
    deepBlockSequences(100_000),
    deepFlow(1_000),
    deepFlow(10_000),
    deepFlow(100_000),
    unknownVariables(),
    lineBreaks('cr-only-line-breaks', '\r'),
    lineBreaks('crlf-line-breaks', '\r\n'),
    afterFlowCollection(),
    longLine(),
    hugeKeys(),
    manyDocuments(),
  ];
}

/** Writes every input as `<name>.yaml` under `folder/.simone/integrations`; returns the paths by name. */
export function writeCorpus(folder: string, inputs = hostileInputs()): Map<string, string> {
  const integrations = join(folder, '.simone', 'integrations');
  mkdirSync(integrations, { recursive: true });
  return new Map(
    inputs.map((input) => {
      const path = join(integrations, `${input.name}.yaml`);
      writeFileSync(path, input.text);
      return [input.name, path];
    }),
  );
}

if (require.main === module) {
  const folder = process.argv[2];
  if (!folder) throw new Error('usage: generateCorpus.ts DIR');
  for (const path of writeCorpus(folder).values()) console.log(path);
}
