import { isAlias, isMap, isScalar, isSeq, parse as parseYamlScalar, type Node, type Pair, type Scalar } from 'yaml';
import type { ConfigDocument, ConfigFile } from '../configFile';
import { documentAliases, type DocumentAliases } from '../documentAliases';
import { diagnostic, type ConfigDiagnostic, type DiagnosticCode, type DiagnosticData } from '../diagnostic';
import { resolveVariables, type EnvironmentProvider } from '../env';
import { applicableSchemas, itemSchema, nodeJsonType, propertySchema, schemaTypes, typeAccepts, type JsonSchema, type JsonType } from '../jsonSchema';
import { maskUrlCredentials } from '../secrets';
import { didYouMean, didYouMeanText } from '../suggest';
import { checkFormat } from './formats';

interface Walk {
  file: ConfigFile;
  aliases: DocumentAliases;
  root: JsonSchema;
  env: EnvironmentProvider;
  out: ConfigDiagnostic[];
}

/**
 * Where a problem would sit, as text offsets (a node's own `range` serves, unallocated): turned into lines and
 * characters only when a problem is reported, since most nodes have none.
 */
type Span = readonly [start: number, end: number, ...rest: number[]];

function spanOf(node: Node | null | undefined, fallback: Span): Span {
  return node?.range ?? fallback;
}

function report(walk: Walk, code: DiagnosticCode, message: string, span: Span, data?: DiagnosticData): void {
  walk.out.push(diagnostic(code, message, walk.file.range(span[0], span[1]), data));
}

/** A scalar as the schema should judge it: `${VAR}`s resolved where known; `known: false` when a reference can't be resolved. */
function effectiveScalar(node: Scalar, walk: Walk): { value: unknown; type: JsonType; known: boolean; shown: () => string } {
  const value = node.value;
  // Only a message needs the text as written, with any URL password masked.
  const shown = () => maskUrlCredentials(node.source ?? String(value));
  if (typeof value !== 'string' || !value.includes('${')) return { value, type: nodeJsonType(node), known: true, shown };
  const resolved = resolveVariables(value, walk.env);
  if (resolved.unresolved.length > 0) return { value, type: 'string', known: false, shown };
  // A resolved reference is read as YAML would read it (so `${PORT}` can be an integer).
  const reread: unknown = resolved.value.trim() === '' ? resolved.value : rereadScalar(resolved.value);
  const type: JsonType = typeof reread === 'number' ? (Number.isInteger(reread) ? 'integer' : 'number') : typeof reread === 'boolean' ? 'boolean' : 'string';
  return { value: type === 'string' ? resolved.value : reread, type, known: true, shown };
}

/** Resolved values repeat (`${TOKEN:-none}` in every integration), and a YAML parse per scalar is costly. */
const rereadCache = new Map<string, unknown>();
const REREAD_CACHE_SIZE = 1_000;

/** Numbers, booleans and null are short and on one line; anything else is a string without asking the parser. */
const SCALAR_SHAPED = /^[^\n\r]{1,64}$/;

/** A resolved value read as YAML would read it; text that is not a valid YAML scalar (`%!x`, `[`) stays a string. */
function rereadScalar(text: string): unknown {
  if (!SCALAR_SHAPED.test(text)) return text;
  if (rereadCache.has(text)) return rereadCache.get(text);
  let value: unknown;
  try {
    value = parseYamlScalar(text, { logLevel: 'silent' });
  } catch {
    value = text;
  }
  if (rereadCache.size >= REREAD_CACHE_SIZE) rereadCache.clear();
  rereadCache.set(text, value);
  return value;
}

function typeNames(types: JsonType[]): string {
  const names = types.map((type) => (type === 'object' ? 'a map' : type === 'array' ? 'a list' : type === 'integer' ? 'an integer' : type === 'null' ? 'nothing' : `a ${type}`));
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names[0];
}

function lastDefined<T>(schemas: JsonSchema[], pick: (schema: JsonSchema) => T | undefined): T | undefined {
  for (let i = schemas.length - 1; i >= 0; i--) {
    const value = pick(schemas[i]);
    if (value !== undefined) return value;
  }
  return undefined;
}

function validateScalar(node: Scalar, schemas: JsonSchema[], walk: Walk, range: Span): void {
  const scalar = effectiveScalar(node, walk);
  if (!scalar.known) return;
  const enumValues: unknown[] | undefined = lastDefined(schemas, (schema) => schema.enum ?? (schema.const !== undefined ? [schema.const] : undefined));
  if (enumValues && !enumValues.includes(scalar.value)) {
    const allowed = enumValues.map(String);
    const suggestions = didYouMean(String(scalar.value), allowed);
    const listed = allowed.length <= 8 ? ` Allowed: ${allowed.join(', ')}.` : '';
    report(walk, 'schema-enum', `"${scalar.shown()}" is not an allowed value.${didYouMeanText(suggestions)}${suggestions.length ? '' : listed}`, range, { suggestions: suggestions.length ? suggestions : allowed });
    return;
  }
  const pattern = lastDefined(schemas, (schema) => schema.pattern);
  if (pattern && typeof scalar.value === 'string' && !new RegExp(pattern).test(scalar.value)) {
    report(walk, 'schema-type', `"${scalar.shown()}" does not have the expected form (${pattern}).`, range);
    return;
  }
  for (const schema of schemas) {
    if (!schema.format) continue;
    const problem = checkFormat(schema, scalar.value, scalar.shown);
    if (problem) {
      report(walk, problem.code, problem.message, range);
      return;
    }
  }
  if (typeof scalar.value === 'number') {
    const minimum = lastDefined(schemas, (schema) => schema.minimum);
    const maximum = lastDefined(schemas, (schema) => schema.maximum);
    if (minimum !== undefined && scalar.value < minimum) report(walk, 'range-invalid', `${scalar.value} is below the minimum of ${minimum}.`, range);
    else if (maximum !== undefined && scalar.value > maximum) report(walk, 'range-invalid', `${scalar.value} is above the maximum of ${maximum}.`, range);
  }
}

/** What a map's schemas say of its keys, the same for every map they describe. */
interface MapFacts {
  known: Set<string>;
  closed: boolean;
  required: string[];
  maxProperties?: number;
  minProperties?: number;
}

function computeMapFacts(schemas: JsonSchema[]): MapFacts {
  return {
    known: new Set(schemas.flatMap((candidate) => Object.keys(candidate.properties ?? {}))),
    closed: schemas.some((candidate) => candidate.additionalProperties === false),
    required: [...new Set(schemas.flatMap((candidate) => candidate.required ?? []))],
    maxProperties: lastDefined(schemas, (candidate) => candidate.maxProperties),
    minProperties: lastDefined(schemas, (candidate) => candidate.minProperties),
  };
}

/** Maps are described by one schema, or a discriminator and its branch: facts kept per (first, last) pair. */
const mapFactsCache = new WeakMap<JsonSchema, WeakMap<JsonSchema, MapFacts>>();

function mapFacts(schemas: JsonSchema[]): MapFacts {
  if (schemas.length === 0 || schemas.length > 2) return computeMapFacts(schemas);
  const first = schemas[0];
  const last = schemas[schemas.length - 1];
  let byLast = mapFactsCache.get(first);
  if (!byLast) mapFactsCache.set(first, (byLast = new WeakMap()));
  let facts = byLast.get(last);
  if (!facts) byLast.set(last, (facts = computeMapFacts(schemas)));
  return facts;
}

function validateMap(node: Node, schemas: JsonSchema[], walk: Walk, ownerRange: Span, schema: JsonSchema, isRoot: boolean): void {
  if (!isMap(node)) return;
  const { known, closed, required, maxProperties, minProperties } = mapFacts(schemas);
  node.items.forEach((pair: Pair, index) => {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const keyRange = spanOf(pair.key as Node, ownerRange);
    if (key === undefined) return;
    if (maxProperties !== undefined && index >= maxProperties) {
      report(walk, 'schema-unknown-property', isRoot ? `A document holds exactly one of ${[...known].join(', ')}; start another document with --- for "${key}".` : `At most ${maxProperties} entries are allowed here.`, keyRange);
      return;
    }
    if (!known.has(key) && closed) {
      const suggestions = didYouMean(key, known);
      report(walk, 'schema-unknown-property', `Unknown property "${key}".${didYouMeanText(suggestions)}`, keyRange, { suggestions });
      return;
    }
    const child = propertySchema(schema, walk.root, node, key);
    if (child) validateNode(pair.value as Node | null, child, walk, keyRange);
  });
  const present = new Set(node.items.map((pair) => (isScalar(pair.key) ? String(pair.key.value) : '')));
  const missing = required.filter((key) => !present.has(key));
  if (missing.length > 0) {
    report(walk, 'schema-missing-property', `Missing required ${missing.length === 1 ? 'property' : 'properties'} ${missing.map((key) => `"${key}"`).join(', ')}.`, ownerRange, { missing });
  }
  if (!isRoot && minProperties !== undefined && node.items.length < minProperties) {
    report(walk, 'schema-missing-property', `Needs at least ${minProperties} ${minProperties === 1 ? 'entry' : 'entries'}.`, ownerRange);
  }
}

/** Validates `node` (the value under the key at `ownerRange`) against `schema`. */
function validateNode(input: Node | null | undefined, schema: JsonSchema, walk: Walk, ownerRange: Span, isRoot = false): void {
  // An alias that is not followed has its problem reported at the alias already (see documentAliases).
  const node = isAlias(input) ? walk.aliases.target(input) : input;
  if (isAlias(input) && !node) return;
  const schemas = applicableSchemas(schema, walk.root, node);
  const types = lastDefined(schemas, (candidate) => (candidate.type === undefined ? undefined : schemaTypes(candidate))) ?? [];
  const oneOfTypes = lastDefined(schemas, (candidate) => candidate.oneOf?.flatMap((branch) => schemaTypes(branch)));
  const range = spanOf(node, ownerRange);
  const actual = isScalar(node) ? effectiveScalar(node, walk) : { type: nodeJsonType(node), known: true };
  if (actual.known) {
    const expected = oneOfTypes && !typeAccepts(oneOfTypes, actual.type) ? oneOfTypes : types;
    if (!typeAccepts(expected, actual.type)) {
      report(walk, 'schema-type', `Expected ${typeNames(expected)} but found ${typeNames([actual.type])}.`, range);
      return;
    }
  }
  if (isScalar(node)) validateScalar(node, schemas, walk, range);
  else if (isMap(node)) validateMap(node, schemas, walk, ownerRange, schema, isRoot);
  else if (isSeq(node)) {
    const items = itemSchema(schema, walk.root, node);
    for (const item of node.items as Array<Node | null>) if (items) validateNode(item, items, walk, spanOf(item, range));
    const minItems = lastDefined(schemas, (candidate) => candidate.minItems);
    if (minItems !== undefined && node.items.length < minItems) report(walk, 'schema-missing-property', `Needs at least ${minItems} ${minItems === 1 ? 'item' : 'items'}.`, ownerRange);
  }
}

/** Every schema-level problem of one document: unknown and missing keys, types, enums, formats, ranges. */
export function validateSchema(file: ConfigFile, document: ConfigDocument, root: JsonSchema, env: EnvironmentProvider): ConfigDiagnostic[] {
  const out: ConfigDiagnostic[] = [];
  const contents = document.yaml.contents as Node | null;
  if (contents === null || (isScalar(contents) && (contents.value === null || contents.value === undefined))) return out;
  validateNode(contents, root, { file, aliases: documentAliases(document.yaml), root, env, out }, spanOf(contents, [0, 0]), true);
  return out;
}
