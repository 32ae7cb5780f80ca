import { urlUserInfo } from '../core/secrets';
import { isScalar } from 'yaml';
import { MarkupKind, type Hover, type Location, type Position } from 'vscode-languageserver-types';
import type { ConfigFile } from '../core/configFile';
import { describeDuration, parseDuration } from '../core/duration';
import { findVariableReferences } from '../core/env';
import { SIMONE_EVENTS } from '../core/simoneEntitySets';
import { scalarText, valueOf } from '../core/yamlNodes';
import type { LanguageContext } from './context';
import { declarationsOf, nameAt, usagesOf, type NameTarget } from './names';
import { documentAt, keyPath, scalarAt } from './nodePath';
import { schemaDocumentation } from './schemaDocs';
import { describingSchemas, firstOf, schemaAlong } from './schemaPath';
import { displayValue, mayShowValue } from './secretDisplay';

const markdown = (value: string, range?: Hover['range']): Hover => ({ contents: { kind: MarkupKind.Markdown, value }, range });

/** Hover: a `${VAR}`'s value (secrets masked), a name's declarations and uses, a duration in words, a key's documentation. */
export function hover(file: ConfigFile, position: Position, ctx: LanguageContext): Hover | null {
  const offset = file.offset(position);
  const document = documentAt(file, offset);
  const at = document && scalarAt(document, offset);
  if (!document || !at) return null;
  const path = keyPath(at.path);
  const steps = schemaAlong(document, ctx.schema, path);
  const schemas = describingSchemas(steps[steps.length - 1], ctx.schema);
  const key = typeof path[path.length - 1] === 'string' ? (path[path.length - 1] as string) : undefined;
  const docs = schemaDocumentation(key, schemas);

  const source = at.scalar.range ? file.text.slice(at.scalar.range[0], at.scalar.range[1]) : '';
  const start = at.scalar.range?.[0] ?? 0;
  const variable = at.isKey ? undefined : findVariableReferences(source).find((reference) => start + reference.start <= offset && offset <= start + reference.end);
  if (variable) {
    const secretPlace = schemas.some((schema) => schema['x-secret']) || inUserInfo(source, variable.start);
    return markdown(variableText(variable.name, variable.fallback, secretPlace, ctx), file.range(start + variable.start, start + variable.end));
  }

  const name = nameAt(file, position);
  if (name) return markdown(nameText(name.target, file, ctx), name.range);

  const range = file.rangeOf(at.scalar);
  const title = key ? `**${key}**` : '';
  if (!at.isKey && firstOf(schemas, (schema) => schema.format) === 'duration') {
    const ms = parseDuration(at.scalar.value);
    if (ms !== undefined) return markdown(`\`${scalarText(at.scalar)}\` = ${describeDuration(ms)}${docs ? `\n\n---\n\n${title}: ${docs}` : ''}`, range);
  }
  return docs ? markdown(`${title}${title ? '\n\n' : ''}${docs}`, range) : null;
}

/** True when offset `at` lies in the `user:password@` part of a URL (quoted or not). */
function inUserInfo(text: string, at: number): boolean {
  const userInfo = urlUserInfo(text);
  return userInfo !== undefined && at >= userInfo.start && at < userInfo.end;
}

function variableText(name: string, fallback: string | undefined, secretPlace: boolean, ctx: LanguageContext): string {
  const found = ctx.env.lookup(name);
  if (found && found.value === undefined) return `**\${${name}}** is defined in ${found.origin} (its value is not shown here).`;
  if (found?.value !== undefined && !(fallback !== undefined && found.value === '')) {
    const shown = mayShowValue(name, found.value, secretPlace, ctx);
    return shown ? `**\${${name}}** = ${displayValue(found.value, true)}\n\nFrom ${found.origin}` : `**\${${name}}** is set in ${found.origin} ${displayValue(found.value, false)}.`;
  }
  if (fallback !== undefined) return `**\${${name}}** is not defined: the default ${displayValue(fallback, mayShowValue(name, fallback, secretPlace, ctx))} is used.`;
  return `**\${${name}}** is not defined in the process environment, .env or .simone/.env, and has no default.`;
}

const LABEL: Record<NameTarget['kind'], string> = { integration: 'Integration', queue: 'Queue', service: 'Service', connection: 'Connection', endpoint: 'Endpoint', event: 'Event' };

const linkTo = (entry: Location): string => {
  const line = entry.range.start.line + 1;
  return `[${entry.uri.slice(entry.uri.lastIndexOf('/') + 1)}:${line}](${entry.uri}#L${line})`;
};

function nameText(target: NameTarget, file: ConfigFile, ctx: LanguageContext): string {
  const declared = declarationsOf(target, file, ctx);
  const used = usagesOf(target, file, ctx);
  const scope = target.integration ? ` of ${target.integration}` : '';
  const lines = [`**${LABEL[target.kind]}** \`${target.name}\`${scope}`];
  if (target.kind === 'integration') {
    const description = integrationDescription(target.name, declared, file, ctx);
    if (description) lines.push(description);
  }
  if (target.kind === 'event' && (SIMONE_EVENTS as readonly string[]).includes(target.name)) lines.push('A Simone project event.');
  const heading = target.kind === 'event' ? 'Published at' : 'Defined at';
  lines.push(declared.length ? `${heading}: ${declared.map(linkTo).join(', ')}` : `${heading}: nowhere in the workspace`);
  lines.push(used.length ? `Used at: ${used.map(linkTo).join(', ')}` : 'Used at: nowhere yet');
  return lines.join('\n\n');
}

function integrationDescription(name: string, declared: Location[], file: ConfigFile, ctx: LanguageContext): string | undefined {
  for (const entry of declared) {
    const owner = entry.uri === file.uri ? file : ctx.file(entry.uri);
    for (const document of owner?.documents ?? []) {
      if (scalarText(valueOf(document.body, 'name')) !== name) continue;
      const description = valueOf(document.body, 'description');
      if (isScalar(description) && typeof description.value === 'string') return description.value;
    }
  }
  return undefined;
}
