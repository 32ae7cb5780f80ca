import { isMap, isScalar, visit, type Scalar } from 'yaml';
import type { Rule } from './rule';

/**
 * Repeated keys in one map. The parser is told to allow them so that a repeated
 * endpoint name can be reported as `name-duplicate`; any other repeat is a YAML error.
 */
export const duplicateKeys: Rule = ({ file, report }) => {
  for (const document of file.documents) {
    visit(document.yaml, {
      Map(_key, map, path) {
        const parent = path[path.length - 1];
        const ownerKey = parent && !isMap(parent) && 'key' in parent && isScalar(parent.key) ? String((parent.key as Scalar).value) : undefined;
        const seen = new Set<string>();
        for (const pair of map.items) {
          if (!isScalar(pair.key)) continue;
          const name = String(pair.key.value);
          if (!seen.has(name)) {
            seen.add(name);
            continue;
          }
          const range = file.rangeOf(pair.key);
          if (ownerKey === 'endpoints') report('name-duplicate', `Endpoint "${name}" is declared twice in this integration.`, range);
          else report('yaml-syntax', `Map keys must be unique: "${name}" appears more than once.`, range);
        }
      },
    });
  }
};
