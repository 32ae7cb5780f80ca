import { isScalar } from 'yaml';
import type { Rule } from './rule';

/** A value or a key the schema accepts but no runner runs (`x-not-run`, `x-key-not-run`): valid, yet it would silently do nothing. */
export const notRunValues: Rule = {
  node({ file, report }, { node, schema, key }) {
    const keyNotRun = schema?.['x-key-not-run'];
    if (keyNotRun && key) report('value-not-run', keyNotRun, file.rangeOf(key));
    const notRun = schema?.['x-not-run'];
    if (!notRun || !isScalar(node) || typeof node.value !== 'string' || !Object.hasOwn(notRun, node.value)) return;
    report('value-not-run', notRun[node.value], file.rangeOf(node));
  },
};
