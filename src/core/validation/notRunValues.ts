import { isMap, isScalar } from 'yaml';
import { applicableSchemas } from '../jsonSchema';
import type { Rule } from './rule';

/** A value or a key the schema accepts but no runner runs (`x-not-run`, `x-key-not-run`): valid, yet it would silently do nothing. */
export const notRunValues: Rule = {
  node({ file, report, schema: root }, { node, schema }) {
    // `x-key-not-run` sits beside a key's `$ref`, on the map's own properties: read there, before resolving.
    if (schema && isMap(node)) {
      const described = applicableSchemas(schema, root, node);
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const name = String(pair.key.value);
        for (const candidate of described) {
          const reason = candidate.properties?.[name]?.['x-key-not-run'];
          if (!reason) continue;
          report('value-not-run', reason, file.rangeOf(pair.key));
          break;
        }
      }
    }
    const notRun = schema?.['x-not-run'];
    if (!notRun || !isScalar(node) || typeof node.value !== 'string' || !Object.hasOwn(notRun, node.value)) return;
    report('value-not-run', notRun[node.value], file.rangeOf(node));
  },
};
