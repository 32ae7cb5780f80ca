import { applicableSchemas, resolveRef, schemaTypes, type JsonSchema } from '../core/jsonSchema';
import { firstOf, offeredValues } from './schemaPath';
import { yamlScalar } from './schemaDocs';

/** Fills the blanks of a template: tab stops for a completion snippet, plain values for a quick fix. */
export interface Filler {
  text(value: string): string;
  choice(values: string[]): string;
  /** A value naming something declared elsewhere: a snippet leaves it empty for name completion, a fix writes the example. */
  reference(example: string): string;
}

const escapeSnippet = (text: string): string => text.replace(/[\\$}]/g, '\\$&');

export function snippetFiller(): Filler {
  let stop = 0;
  return {
    text: (value) => `\${${++stop}:${escapeSnippet(value)}}`,
    choice: (values) => (values.length === 1 ? `\${${++stop}:${escapeSnippet(values[0])}}` : `\${${++stop}|${values.map((value) => value.replace(/[\\,|$}]/g, '\\$&')).join(',')}|}`),
    reference: () => `\${${++stop}:}`,
  };
}

export const plainFiller: Filler = { text: (value) => value, choice: (values) => values[0], reference: (example) => example };

const MAX_DEPTH = 3;

/** The branch a template starts from: a `oneOf` offers its first alternative (the simpler form). */
function shapeOf(schema: JsonSchema, root: JsonSchema): JsonSchema[] {
  const schemas = applicableSchemas(schema, root, null).reverse();
  const branch = firstOf(schemas, (candidate) => candidate.oneOf?.[0]);
  return branch ? [...applicableSchemas(resolveRef(branch, root), root, null).reverse(), ...schemas] : schemas;
}

function isType(schemas: JsonSchema[], type: string): boolean {
  return firstOf(schemas, (schema) => (schema.type === undefined ? undefined : schemaTypes(schema)))?.[0] === type;
}

/** The value of a scalar key: its allowed values (default first), else its default or first example. */
function scalarTemplate(schemas: JsonSchema[], filler: Filler): string {
  const fallback = firstOf(schemas, (schema) => schema.default);
  const allowed = offeredValues(schemas) ?? (isType(schemas, 'boolean') ? [true, false] : undefined);
  if (allowed) {
    const ordered = fallback === undefined ? allowed : [fallback, ...allowed.filter((value) => value !== fallback)];
    return filler.choice(ordered.map((value) => yamlScalar(value)));
  }
  const example = fallback ?? firstOf(schemas, (schema) => schema.examples?.[0]);
  if (firstOf(schemas, (schema) => schema['x-reference'])) return filler.reference(example === undefined ? '' : yamlScalar(example));
  return example === undefined || typeof example === 'object' ? filler.text('') : filler.text(yamlScalar(example));
}

/** Lines for the required keys of a map, indented by `indent` spaces. */
function requiredLines(schemas: JsonSchema[], root: JsonSchema, filler: Filler, depth: number): string[] {
  const required = [...new Set(schemas.flatMap((schema) => schema.required ?? []))];
  return required.flatMap((key) => {
    const property = firstOf(schemas, (schema) => schema.properties?.[key]);
    return property ? keyTemplate(key, resolveRef(property, root), root, filler, depth + 1) : [`${key}: ${filler.text('')}`];
  });
}

const indented = (lines: string[], spaces: number): string[] => lines.map((line) => ' '.repeat(spaces) + line);

/**
 * `key: value` as lines, indentation relative to the key: a scalar with its default
 * (or a choice of its allowed values), a map with its required keys, a list of maps
 * with one item holding the item's required keys, a list of scalars with one item.
 */
export function keyTemplate(key: string, schema: JsonSchema, root: JsonSchema, filler: Filler, depth = 0): string[] {
  const schemas = shapeOf(schema, root);
  if (depth >= MAX_DEPTH) return [`${key}: ${filler.text('')}`];
  if (isType(schemas, 'array')) {
    const items = firstOf(schemas, (candidate) => candidate.items);
    const itemSchemas = items ? shapeOf(resolveRef(items, root), root) : [];
    if (isType(itemSchemas, 'object')) {
      const lines = requiredLines(itemSchemas, root, filler, depth);
      const body = lines.length ? lines : [`name: ${filler.text('')}`];
      return [`${key}:`, ...indented([`- ${body[0]}`, ...indented(body.slice(1), 2)], 2)];
    }
    return [`${key}:`, `  - ${scalarTemplate(itemSchemas, filler)}`];
  }
  if (isType(schemas, 'object')) {
    const lines = requiredLines(schemas, root, filler, depth);
    if (lines.length) return [`${key}:`, ...indented(lines, 2)];
    const example = firstOf(schemas, (candidate) => candidate.examples?.[0]);
    const entry = example && typeof example === 'object' && !Array.isArray(example) ? Object.entries(example)[0] : undefined;
    const open = firstOf(schemas, (candidate) => (typeof candidate.additionalProperties === 'object' ? candidate.additionalProperties : undefined));
    if (open && !firstOf(schemas, (candidate) => candidate.properties)) {
      const value = entry && typeof entry[1] !== 'object' ? yamlScalar(entry[1]) : '';
      return [`${key}:`, `  ${filler.text(entry?.[0] ?? 'name')}: ${filler.text(value)}`];
    }
    return [`${key}:`, `  ${filler.text('')}`];
  }
  return [`${key}: ${scalarTemplate(schemas, filler)}`];
}

/** Joins template lines for insertion at a column: the first line goes where the cursor is, the rest get that column's indentation. */
export function atColumn(lines: string[], column: number): string {
  return lines.map((line, index) => (index === 0 ? line : ' '.repeat(column) + line)).join('\n');
}
