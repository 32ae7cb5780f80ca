import { isMap, isScalar, Scalar } from 'yaml';
import type { ConfigFile } from '../configFile';
import type { Rule, RuleContext } from './rule';

/** Plain scalars that YAML 1.1 readers (PyYAML, many CI tools) read differently from YAML 1.2. */
const AMBIGUOUS: Array<{ pattern: RegExp; yaml11: string }> = [
  { pattern: /^(yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/, yaml11: 'a boolean' },
  { pattern: /^[-+]?0[0-7]+$/, yaml11: 'an octal number' },
  { pattern: /^0o[0-7]+$/, yaml11: 'a string' },
  { pattern: /^0b[01_]+$/, yaml11: 'a binary number' },
  { pattern: /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/, yaml11: 'a base-60 number' },
  { pattern: /^[-+]?[0-9][0-9]*_[0-9_]*$/, yaml11: 'a number' },
];

export function yaml11Reading(source: string): string | undefined {
  return AMBIGUOUS.find((entry) => entry.pattern.test(source))?.yaml11;
}

function check(node: unknown, file: ConfigFile, report: RuleContext['report'], secret = false): void {
  if (!isScalar(node) || node.type !== Scalar.PLAIN || !node.range) return;
  const source = file.text.slice(node.range[0], node.range[1]);
  const reading = yaml11Reading(source);
  if (!reading) return;
  const now = typeof node.value === 'string' ? `the string "${node.value}"` : `${JSON.stringify(node.value)}`;
  // A secret-bearing value is not repeated in a message that may reach a CI log.
  const said = secret ? `This value is ${typeof node.value === 'string' ? 'a string' : 'a number'}` : `${source} is ${now}`;
  report('yaml11-ambiguous', `${said} in YAML 1.2 but ${reading} for YAML 1.1 readers: quote it, or write what you mean explicitly.`, file.rangeOf(node));
}

/** Values, and the keys of maps (`on:` is a key PyYAML reads as true). */
export const yaml11Ambiguities: Rule = {
  node({ file, report }, { node, schema }) {
    if (isMap(node)) for (const pair of node.items) check(pair.key, file, report);
    else check(node, file, report, schema?.['x-secret'] === true);
  },
};
