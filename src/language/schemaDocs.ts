import { stringify } from 'yaml';
import type { JsonSchema } from '../core/jsonSchema';
import { allowedValues, firstOf } from './schemaPath';

/** A scalar as YAML writes it (quoted only when it must be). */
export function yamlScalar(value: unknown): string {
  return stringify(value, { lineWidth: 0 }).trimEnd();
}

/** Markdown for a key or value: meaning, default, allowed values and an example, from the schemas that describe it (most specific first). */
export function schemaDocumentation(key: string | undefined, schemas: JsonSchema[]): string {
  const parts: string[] = [];
  const description = firstOf(schemas, (schema) => schema.markdownDescription ?? schema.description);
  if (description) parts.push(description);
  const fallback = firstOf(schemas, (schema) => schema.default);
  if (fallback !== undefined && !description?.includes('Default:')) parts.push(`Default: \`${yamlScalar(fallback)}\``);
  const allowed = allowedValues(schemas);
  if (allowed && allowed.length > 1) parts.push(`Allowed: ${allowed.map((value) => `\`${String(value)}\``).join(', ')}`);
  const example = firstOf(schemas, (schema) => schema.examples?.[0]);
  if (example !== undefined && key !== undefined) parts.push(`Example:\n\`\`\`yaml\n${stringify({ [key]: example }, { lineWidth: 0 }).trimEnd()}\n\`\`\``);
  return parts.join('\n\n');
}
