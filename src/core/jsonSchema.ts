import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { pairOf } from './yamlNodes';

export type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';
export type SchemaFormat = 'duration' | 'uri' | 'uri-template' | 'amqp-uri' | 'postgres-uri' | 'queue-or-url' | 'path-or-url' | 'status-range' | 'byte-size';
/** What an `x-reference` value names (src/core/schema.ts says where each is used). */
export const REFERENCE_KINDS = ['destination', 'handler', 'event', 'connection', 'sync-source', 'service'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];
type JsonScalar = string | number | boolean | null;

export type SecretParts = 'value' | 'variables' | 'url' | 'url-path';

/** The subset of JSON Schema (draft-07) that schemas/integration.schema.json uses, plus our x- keywords; nothing else appears in it. */
export interface JsonSchema {
  $ref?: string;
  type?: JsonType | JsonType[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: false | JsonSchema;
  items?: JsonSchema;
  enum?: JsonScalar[];
  const?: JsonScalar;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  minProperties?: number;
  maxProperties?: number;
  /** Only where the alternatives differ by JSON type. */
  oneOf?: JsonSchema[];
  /** Only `if` (a `const` on one property) / `then` pairs: the discriminators. */
  allOf?: Array<{ if: JsonSchema; then: JsonSchema }>;
  format?: SchemaFormat;
  description?: string;
  markdownDescription?: string;
  default?: unknown;
  examples?: unknown[];
  /** A secret-bearing key: literals are a `secret-literal` warning. */
  'x-secret'?: true;
  /**
   * Which parts of the value are secret though a literal is fine there (`src/core/secrets.ts` collects them):
   * `value` the whole value (a connection URL), `variables` the whole value where a `${VAR}` fills it (a header
   * value: `Accept: application/json` is configuration, `Authorization: ${AUTH}` a credential), `url` a URL's userinfo and query values
   * (every `uri`-like format has this), `url-path` those and the path (Slack and Discord keep their key there).
   */
  'x-secret-parts'?: SecretParts;
  /** On an `x-secret` key: the secret is also sent as `<this sibling's value>:<secret>` (Basic authentication). */
  'x-secret-pair'?: string;
  /** The value names something declared elsewhere. */
  'x-reference'?: ReferenceKind;
  /** Enum values that are valid but that no runner runs, each with why: completion leaves them out, validation warns (`value-not-run`). */
  'x-not-run'?: Record<string, string>;
  /** A key that is valid here but that no runner reads, with why: completion leaves it out, validation warns (`value-not-run`). */
  'x-key-not-run'?: string;
  definitions?: Record<string, JsonSchema>;
}

export interface RootSchema extends JsonSchema {
  $schema: string;
  definitions: Record<string, JsonSchema>;
}

/** Follows `$ref`s (local `#/definitions/...` only). */
export function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let current = schema;
  for (let depth = 0; current.$ref && depth < 32; depth++) {
    const name = current.$ref.replace(/^#\/definitions\//, '');
    const target = root.definitions?.[name];
    if (!target) break;
    current = target;
  }
  return current;
}

/** The JSON type of a YAML node, as the schema sees it. */
export function nodeJsonType(node: Node | null | undefined): JsonType {
  if (isMap(node)) return 'object';
  if (isSeq(node)) return 'array';
  if (!isScalar(node) || node.value === null || node.value === undefined) return 'null';
  const value = node.value;
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'bigint') return 'integer';
  return 'string';
}

export function schemaTypes(schema: JsonSchema): JsonType[] {
  return schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
}

export function typeAccepts(types: JsonType[], actual: JsonType): boolean {
  return types.length === 0 || types.includes(actual) || (actual === 'integer' && types.includes('number'));
}

/** Picks the `oneOf` branch whose type fits the node (the alternatives differ by JSON type). */
export function oneOfBranch(schema: JsonSchema, root: JsonSchema, node: Node | null | undefined): JsonSchema | undefined {
  const actual = nodeJsonType(node);
  return schema.oneOf?.map((branch) => resolveRef(branch, root)).find((branch) => typeAccepts(schemaTypes(branch), actual));
}

/** The `then` schemas whose `if` (a `const` on a property) holds for this map node: the discriminator. */
export function activeConditionals(schema: JsonSchema, root: JsonSchema, node: Node | null | undefined): JsonSchema[] {
  if (!schema.allOf || !isMap(node)) return [];
  return schema.allOf.flatMap((entry) => {
    if (!entry.if || !entry.then) return [];
    const conditions = Object.entries(entry.if.properties ?? {});
    const holds = conditions.every(([key, condition]) => {
      const pair = pairOf(node, key);
      return isScalar(pair?.value) && pair.value.value === condition.const;
    });
    return holds ? [resolveRef(entry.then, root)] : [];
  });
}

/**
 * The schemas that describe a node: the resolved schema itself, its `oneOf` branch
 * and the `then` of each holding discriminator. Later entries are more specific.
 */
export function applicableSchemas(schema: JsonSchema, root: JsonSchema, node: Node | null | undefined): JsonSchema[] {
  const resolved = resolveRef(schema, root);
  // Most schemas have no branches: the answer does not depend on the node, and needs no cache entry per node.
  if (!resolved.oneOf && !resolved.allOf) return [resolved];
  if (!node) return computeApplicable(resolved, root, node);
  // Validation and the rules' walk ask the same question of every node: answer it once.
  let bySchema = applicableCache.get(node);
  if (!bySchema) applicableCache.set(node, (bySchema = new Map()));
  let found = bySchema.get(schema);
  if (!found) bySchema.set(schema, (found = computeApplicable(resolved, root, node)));
  return found.slice();
}

const applicableCache = new WeakMap<Node, Map<JsonSchema, JsonSchema[]>>();

function computeApplicable(resolved: JsonSchema, root: JsonSchema, node: Node | null | undefined): JsonSchema[] {
  const result = [resolved];
  const branch = resolved.oneOf ? oneOfBranch(resolved, root, node) : undefined;
  if (branch) result.push(...applicableSchemas(branch, root, node));
  for (const then of activeConditionals(resolved, root, node)) result.push(...applicableSchemas(then, root, node));
  return result;
}

/** The schema of one property of a map node, looking through discriminators (most specific first). */
export function propertySchema(schema: JsonSchema, root: JsonSchema, mapNode: Node | null | undefined, key: string): JsonSchema | undefined {
  const schemas = applicableSchemas(schema, root, mapNode).reverse();
  for (const candidate of schemas) {
    const property = candidate.properties?.[key];
    if (property) return resolveRef(property, root);
  }
  for (const candidate of schemas) {
    if (typeof candidate.additionalProperties === 'object') return resolveRef(candidate.additionalProperties, root);
  }
  return undefined;
}

/** The schema of list items, looking through `oneOf`. */
export function itemSchema(schema: JsonSchema, root: JsonSchema, seqNode: Node | null | undefined): JsonSchema | undefined {
  for (const candidate of applicableSchemas(schema, root, seqNode).reverse()) {
    if (candidate.items) return resolveRef(candidate.items, root);
  }
  return undefined;
}
