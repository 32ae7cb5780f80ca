import { isMap, isSeq, type Node } from 'yaml';
import type { ConfigDocument } from '../core/configFile';
import { applicableSchemas, itemSchema, propertySchema, resolveRef, type JsonSchema } from '../core/jsonSchema';
import { valueOf } from '../core/yamlNodes';

/** A key, a list index, or "the list item that holds this offset" (for text the tree does not hold yet). */
export type Segment = string | number | { itemAt: number };

export interface SchemaStep {
  /** The node at this step in the parsed tree, when it exists. */
  node: Node | null | undefined;
  /** The resolved schema of this place. */
  schema: JsonSchema | undefined;
  /** The annotated schemas as written at this place (a `$ref` with sibling description first), most specific first. */
  annotated: JsonSchema[];
}

/** The schemas of a property of a map node as written, most specific (discriminator `then`) first. */
export function annotatedPropertySchemas(schema: JsonSchema, root: JsonSchema, mapNode: Node | null | undefined, key: string): JsonSchema[] {
  const schemas = applicableSchemas(schema, root, mapNode).reverse();
  const declared = schemas.flatMap((candidate) => (candidate.properties?.[key] ? [candidate.properties[key]] : []));
  if (declared.length) return declared;
  const open = schemas.find((candidate) => typeof candidate.additionalProperties === 'object')?.additionalProperties;
  return typeof open === 'object' ? [open] : [];
}

/** Every schema along a path from the document root: index 0 is the root, then one per segment. */
export function schemaAlong(document: ConfigDocument | undefined, root: JsonSchema, segments: Segment[]): SchemaStep[] {
  let node = document?.yaml.contents as Node | null | undefined;
  let schema: JsonSchema | undefined = resolveRef(root, root);
  const steps: SchemaStep[] = [{ node, schema, annotated: [root] }];
  for (const segment of segments) {
    let annotated: JsonSchema[] = [];
    if (typeof segment === 'string') {
      annotated = schema ? annotatedPropertySchemas(schema, root, node, segment) : [];
      schema = schema && propertySchema(schema, root, node, segment);
      node = isMap(node) ? valueOf(node, segment) : undefined;
    } else {
      const items = isSeq(node) ? (node.items as Array<Node | null>) : [];
      const index = typeof segment === 'number' ? segment : lastIndexStartingBefore(items, segment.itemAt);
      const written = schema && applicableSchemas(schema, root, node).reverse().find((candidate) => candidate.items)?.items;
      annotated = written ? [written] : [];
      schema = schema && itemSchema(schema, root, node);
      node = index >= 0 ? items[index] : undefined;
    }
    steps.push({ node, schema, annotated });
  }
  return steps;
}

function lastIndexStartingBefore(items: Array<Node | null>, offset: number): number {
  let found = -1;
  items.forEach((item, index) => {
    if (item?.range && item.range[0] <= offset) found = index;
  });
  return found;
}

/** The schemas that describe a value, most specific first: the annotations as written, then what they resolve to. */
export function describingSchemas(step: SchemaStep, root: JsonSchema): JsonSchema[] {
  const resolved = step.schema ? applicableSchemas(step.schema, root, step.node).reverse() : [];
  return [...step.annotated, ...resolved];
}

/** The first value of a keyword among schemas, most specific first. */
export function firstOf<T>(schemas: JsonSchema[], pick: (schema: JsonSchema) => T | undefined): T | undefined {
  for (const schema of schemas) {
    const value = pick(schema);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Allowed values: an `enum` anywhere wins over a discriminator's `const` (so `type` still offers every type). */
export function allowedValues(schemas: JsonSchema[]): unknown[] | undefined {
  return firstOf(schemas, (schema) => schema.enum) ?? firstOf(schemas, (schema) => (schema.const === undefined ? undefined : [schema.const]));
}

/** The allowed values completion and snippets offer: not those no runner runs (`x-not-run`), which validation warns about. */
export function offeredValues(schemas: JsonSchema[]): unknown[] | undefined {
  const notRun = firstOf(schemas, (schema) => schema['x-not-run']) ?? {};
  return allowedValues(schemas)?.filter((value) => !Object.hasOwn(notRun, String(value)));
}
