import { isMap, isScalar } from 'yaml';
import type { Rule } from './rule';

/**
 * Repeated keys in one map. The parser is told to allow them so that a repeated
 * endpoint name can be reported as `name-duplicate`; any other repeat is a YAML error.
 */
export const duplicateKeys: Rule = {
  node({ file, report }, { node, key }) {
    if (!isMap(node) || node.items.length < 2) return;
    const seen = new Set<string>();
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const name = String(pair.key.value);
      if (!seen.has(name)) {
        seen.add(name);
        continue;
      }
      const range = file.rangeOf(pair.key);
      if (key && String(key.value) === 'endpoints') report('name-duplicate', `Endpoint "${name}" is declared twice in this integration.`, range);
      else report('yaml-syntax', `Map keys must be unique: "${name}" appears more than once.`, range);
    }
  },
};
