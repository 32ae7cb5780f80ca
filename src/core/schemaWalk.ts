import { isAlias, isMap, isScalar, isSeq, type Node, type Pair, type Scalar } from 'yaml';
import type { ConfigDocument } from './configFile';
import { itemSchema, propertySchema, resolveRef, type JsonSchema } from './jsonSchema';
import { MAX_NESTING } from './nesting';

export interface SchemaVisit {
  node: Node | null;
  /** The schema that describes `node`, when the schema knows this place. */
  schema: JsonSchema | undefined;
  /** The key this node is the value of (undefined for list items and the root). */
  key?: Scalar;
  /** Keys and list indexes from the document root. */
  path: Array<string | number>;
}

/** Visits every node of a document with the schema that describes it, down to MAX_NESTING levels; aliases are not followed (their anchors are visited where they are written). */
export function walkWithSchema(document: ConfigDocument, root: JsonSchema, visit: (entry: SchemaVisit) => void): void {
  const walk = (input: Node | null, schema: JsonSchema | undefined, path: Array<string | number>, key?: Scalar): void => {
    if (isAlias(input) || path.length >= MAX_NESTING) return;
    const node = input;
    visit({ node, schema, key, path });
    if (isMap(node)) {
      for (const pair of node.items as Array<Pair<Node, Node | null>>) {
        if (!isScalar(pair.key)) continue;
        const name = String(pair.key.value);
        walk(pair.value, schema && propertySchema(schema, root, node, name), [...path, name], pair.key);
      }
    } else if (isSeq(node)) {
      const items = schema && itemSchema(schema, root, node);
      (node.items as Array<Node | null>).forEach((item, index) => walk(item, items, [...path, index]));
    }
  };
  walk(document.yaml.contents as Node | null, resolveRef(root, root), []);
}
