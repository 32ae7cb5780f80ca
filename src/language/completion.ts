import { isMap } from 'yaml';
import { CompletionItemKind, InsertTextFormat, InsertTextMode, MarkupKind, type CompletionItem, type CompletionList, type Position, type Range } from 'vscode-languageserver-types';
import { parseConfigFile, type ConfigDocument, type ConfigFile } from '../core/configFile';
import { describeDuration, parseDuration } from '../core/duration';
import { applicableSchemas, resolveRef, schemaTypes, type JsonSchema } from '../core/jsonSchema';
import { SIMONE_ENTITY_SETS, SIMONE_EVENTS } from '../core/simoneEntitySets';
import { scalarText, valueOf } from '../core/yamlNodes';
import type { LanguageContext } from './context';
import { documentAt } from './nodePath';
import { schemaDocumentation, yamlScalar } from './schemaDocs';
import { annotatedPropertySchemas, offeredValues, describingSchemas, firstOf, schemaAlong, type Segment } from './schemaPath';
import { pathAbove, siblingKeys } from './textPath';
import { atColumn, keyTemplate, snippetFiller } from './yamlTemplate';

/** Durations offered for any duration-valued key, after its default. */
const COMMON_DURATIONS = ['250ms', '1s', '5s', '10s', '30s', '1m', '5m', '15m', '1h', '1d'];

const VARIABLE_START = /\$\{([A-Za-z0-9_]*)$/;
/** `  - - key` or a partial key: indentation, list dashes, what is typed so far. */
const KEY_LINE = /^([ \t]*)((?:-[ \t]+)*)([^\s:#"'][^:#]*)?$/;
/** `  - key: value`: indentation, list dashes, the key, the value typed so far. */
const VALUE_LINE = /^([ \t]*)((?:-[ \t]+)*)(["']?)([^\s"'#:][^"'#:]*?)\3[ \t]*:[ \t]+(.*)$/;

interface Place {
  file: ConfigFile;
  /** The parse to read structure from (the cursor's document with the cursor line blanked, when it does not parse). */
  tree: ConfigFile;
  /** Where `tree`'s text starts in the file: tree offsets are file offsets minus this. */
  treeStart: number;
  ctx: LanguageContext;
  position: Position;
  offset: number;
  lines: string[];
}

/** Completion at a position, on half-typed YAML too: keys, values, names from the workspace, `${VAR}`s. */
export function complete(file: ConfigFile, position: Position, ctx: LanguageContext): CompletionList {
  const line = file.lineText(position.line);
  const prefix = line.slice(0, position.character);
  const offset = file.offset(position);
  const lines = file.lines();
  const place: Place = { file, ctx, position, offset, lines, ...treeFor(file, position.line, offset) };

  const variable = VARIABLE_START.exec(prefix);
  if (variable) return list(variableItems(place, variable[1], line.slice(position.character)));
  const value = VALUE_LINE.exec(prefix);
  if (value) return list(valueCompletion(place, value[1], value[2], value[4], value[5]));
  const key = KEY_LINE.exec(prefix);
  if (key) return list(keyOrItemCompletion(place, key[1], key[2], key[3] ?? ''));
  return list([]);
}

const list = (items: CompletionItem[]): CompletionList => ({ isIncomplete: false, items });

/**
 * The tree to read structure from. When the cursor's document does not parse,
 * that document alone is parsed again with the cursor line blanked, as it will
 * parse once the line is finished (a half-typed key must not hide the `type` above it).
 */
function treeFor(file: ConfigFile, line: number, offset: number): { tree: ConfigFile; treeStart: number } {
  const document = documentAt(file, offset);
  if (!document || document.yaml.errors.length === 0) return { tree: file, treeStart: 0 };
  const documentStart = document.yaml.range[0];
  const documentEnd = Math.max(document.yaml.range[2], offset);
  const start = file.offset({ line, character: 0 });
  const end = start + file.lineText(line).length;
  const text = file.text.slice(documentStart, start) + ' '.repeat(end - start) + file.text.slice(end, documentEnd);
  return { tree: parseConfigFile(file.uri, text), treeStart: documentStart };
}

/** The path to the map that holds a key at `keyColumn` (through the dashes written before it on the cursor line). */
function mapPath(place: Place, indent: string, dashes: string): Segment[] {
  const dashCount = (dashes.match(/-/g) ?? []).length;
  const offsetOf = (line: number) => place.file.offset({ line, character: 0 }) - place.treeStart;
  const outer = pathAbove(place.lines, place.position.line, indent.length, offsetOf, dashCount > 0);
  return [...outer, ...Array.from({ length: dashCount }, () => ({ itemAt: place.offset - place.treeStart }))];
}

/** From `startCharacter` to the end of the word at the cursor (a key ends before its colon). */
function replaceRange(place: Place, startCharacter: number, isKey = false): Range {
  const rest = place.file.lineText(place.position.line).slice(place.position.character);
  const tokenEnd = place.position.character + ((isKey ? /^[^\s#,\]:]*/ : /^[^\s#,\]]*/).exec(rest)?.[0].length ?? 0);
  return { start: { line: place.position.line, character: startCharacter }, end: { line: place.position.line, character: tokenEnd } };
}

function keyOrItemCompletion(place: Place, indent: string, dashes: string, partial: string): CompletionItem[] {
  const segments = mapPath(place, indent, dashes);
  const document = documentAt(place.tree, place.offset - place.treeStart);
  const steps = schemaAlong(document, place.ctx.schema, segments);
  const here = steps[steps.length - 1];
  const schemas = here.schema ? withMapAlternative(applicableSchemas(here.schema, place.ctx.schema, isMap(here.node) ? here.node : null), place.ctx.schema) : [];
  const column = indent.length + dashes.length;
  const isObject = schemas.some((schema) => schema.properties || schemaTypes(schema).includes('object'));
  if (!isObject && dashes) return valueItems(place, describingSchemas(here, place.ctx.schema), document, replaceRange(place, column), partial);
  const present = new Set(siblingKeys(place.lines, place.position.line, column, dashes.length > 0));
  const maxProperties = firstOf([...schemas].reverse(), (schema) => schema.maxProperties);
  if (maxProperties !== undefined && present.size >= maxProperties) return [];
  const required = new Set(schemas.flatMap((schema) => schema.required ?? []));
  // Keys no runner reads here (`x-key-not-run`) are valid but not offered, as values no runner runs are not.
  const notRun = (key: string) => schemas.some((schema) => schema.properties?.[key]?.['x-key-not-run']);
  const keys = [...new Set(schemas.flatMap((schema) => Object.keys(schema.properties ?? {})))].filter((key) => !present.has(key) && !notRun(key));
  const mapNode = isMap(here.node) ? here.node : null;
  const range = replaceRange(place, column, true);
  // Renaming a key that already has its colon and value: only the name changes.
  const hasValue = place.file.lineText(place.position.line).slice(range.end.character).trimStart().startsWith(':');
  return keys.map((key, order): CompletionItem => {
    const property = resolveRef(firstOf([...schemas].reverse(), (schema) => schema.properties?.[key]) as JsonSchema, place.ctx.schema);
    const annotated = annotatedPropertySchemas(here.schema as JsonSchema, place.ctx.schema, mapNode, key);
    const documentation = schemaDocumentation(key, [...annotated, ...applicableSchemas(property, place.ctx.schema, null).reverse()]);
    const lines = keyTemplate(key, property, place.ctx.schema, snippetFiller());
    return {
      label: key,
      kind: CompletionItemKind.Property,
      detail: required.has(key) ? 'required' : undefined,
      sortText: `${required.has(key) ? 0 : 1}_${String(order).padStart(3, '0')}`,
      filterText: key,
      documentation: { kind: MarkupKind.Markdown, value: documentation },
      insertTextFormat: hasValue ? InsertTextFormat.PlainText : InsertTextFormat.Snippet,
      insertTextMode: InsertTextMode.asIs,
      textEdit: { range, newText: hasValue ? key : atColumn(lines, column) },
      ...(!hasValue && /\$\{\d+:\}$/.test(lines[lines.length - 1]) ? { command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } } : {}),
    };
  });
}

/** A value that may be a scalar or a map (`oneOf`) is being written as a map when keys are typed under it. */
function withMapAlternative(schemas: JsonSchema[], root: JsonSchema): JsonSchema[] {
  if (schemas.some((schema) => schema.properties)) return schemas;
  const maps = schemas.flatMap((schema) => schema.oneOf ?? []).map((branch) => resolveRef(branch, root)).filter((branch) => schemaTypes(branch).includes('object'));
  return [...schemas, ...maps.flatMap((branch) => applicableSchemas(branch, root, null))];
}

function valueCompletion(place: Place, indent: string, dashes: string, key: string, typed: string): CompletionItem[] {
  const segments: Segment[] = [...mapPath(place, indent, dashes), key];
  const flow = /^\[(?:[^\]]*,)?\s*([^,\]]*)$/.exec(typed);
  if (flow) segments.push({ itemAt: place.offset - place.treeStart });
  const quoted = /^["']/.test(typed) ? 1 : 0;
  const partial = (flow ? flow[1] : typed).slice(quoted);
  const document = documentAt(place.tree, place.offset - place.treeStart);
  const steps = schemaAlong(document, place.ctx.schema, segments);
  const start = place.position.character - partial.length;
  return valueItems(place, describingSchemas(steps[steps.length - 1], place.ctx.schema), document, replaceRange(place, start), partial);
}

function valueItems(place: Place, schemas: JsonSchema[], document: ConfigDocument | undefined, range: Range, partial: string): CompletionItem[] {
  const item = (label: string, kind: CompletionItemKind, detail?: string, documentation?: string, sortText?: string): CompletionItem => ({
    label,
    kind,
    detail,
    sortText,
    documentation: documentation ? { kind: MarkupKind.Markdown, value: documentation } : undefined,
    textEdit: { range, newText: label },
  });
  const reference = firstOf(schemas, (schema) => schema['x-reference']);
  if (reference) return referenceItems(place, reference, document, item, range, partial);
  const fallback = firstOf(schemas, (schema) => schema.default);
  const rank = (value: unknown, index: number) => `${value === fallback ? 0 : 1}_${String(index).padStart(3, '0')}`;
  const allowed = offeredValues(schemas) ?? (firstOf(schemas, (schema) => (schema.type === undefined ? undefined : schemaTypes(schema)))?.includes('boolean') ? [true, false] : undefined);
  if (allowed) return allowed.map((value, index) => item(yamlScalar(value), CompletionItemKind.EnumMember, value === fallback ? 'default' : undefined, undefined, rank(value, index)));
  if (firstOf(schemas, (schema) => schema.format) === 'duration') {
    const values = [...new Set([...(fallback === undefined ? [] : [String(fallback)]), ...COMMON_DURATIONS])];
    return values.map((value, index) => item(value, CompletionItemKind.Value, describeDuration(parseDuration(value) ?? 0) + (value === String(fallback) ? ' (default)' : ''), undefined, rank(value, index)));
  }
  const examples = [...new Set([fallback, ...(firstOf(schemas, (schema) => schema.examples) ?? [])].filter((value) => value !== undefined && typeof value !== 'object'))];
  return examples.map((value, index) => item(yamlScalar(value), CompletionItemKind.Value, value === fallback ? 'default' : 'example', undefined, rank(value, index)));
}

type ItemMaker = (label: string, kind: CompletionItemKind, detail?: string, documentation?: string, sortText?: string) => CompletionItem;

const where = (entry: { uri: string; range: Range }) => `${entry.uri}:${entry.range.start.line + 1}`;

function referenceItems(place: Place, reference: string, document: ConfigDocument | undefined, item: ItemMaker, range: Range, partial: string): CompletionItem[] {
  const { index } = place.ctx;
  const integration = scalarText(valueOf(document?.body, 'name'));
  const connections = index.definitions('connection').filter((entry) => entry.integration === integration);
  switch (reference) {
    case 'event': {
      const simone = SIMONE_EVENTS.map((name) => item(name, CompletionItemKind.Event, 'Simone project event', undefined, `0_${name}`));
      const published = index.definitions('published-event').filter((entry) => !(SIMONE_EVENTS as readonly string[]).includes(entry.name));
      const custom = [...new Map(published.map((entry) => [entry.name, entry])).values()].map((entry) => item(entry.name, CompletionItemKind.Event, `published by ${entry.integration ?? 'an integration'}`, `Published at ${where(entry)}`, `1_${entry.name}`));
      return [...simone, ...custom];
    }
    case 'destination':
      return index.definitions('queue').map((entry) => item(entry.name, CompletionItemKind.Reference, `queue of ${entry.integration ?? 'a message_queue integration'}`, `Declared at ${where(entry)}`));
    case 'connection':
      return connections.map((entry) => item(entry.name, CompletionItemKind.Reference, 'connection', `Declared at ${where(entry)}`));
    case 'service':
      return index.definitions('service').map((entry) => item(entry.name, CompletionItemKind.Reference, 'service', `Declared at ${where(entry)}`));
    case 'handler': {
      const webhooks = index.definitions('webhook-endpoint').map((entry) => item(`webhook:${entry.integration}/${entry.name}`, CompletionItemKind.Reference, 'send to a webhook endpoint', `Declared at ${where(entry)}`, `0_${entry.name}`));
      const queues = index.definitions('queue').map((entry) => item(`queue:${entry.name}`, CompletionItemKind.Reference, 'publish to a queue', `Declared at ${where(entry)}`, `1_${entry.name}`));
      const log = item('log', CompletionItemKind.Keyword, 'write the event to the log', undefined, '2_log');
      const command: CompletionItem = { ...item('command:', CompletionItemKind.Keyword, 'run a VS Code command', undefined, '3_command'), insertTextFormat: InsertTextFormat.Snippet, textEdit: { range, newText: 'command:${1:command.id}' } };
      return [...webhooks, ...queues, log, command];
    }
    case 'sync-source': {
      const sets = SIMONE_ENTITY_SETS.map((name) => item(name, CompletionItemKind.Constant, 'Simone entity set', undefined, `0_${name}`));
      const tables = connections.map((entry) => ({ ...item(`${entry.name}.`, CompletionItemKind.Module, 'a table of this connection', undefined, `1_${entry.name}`), command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } }));
      return partial.includes('.') ? [] : [...sets, ...tables];
    }
    default:
      return [];
  }
}

function variableItems(place: Place, typed: string, after: string): CompletionItem[] {
  const { env } = place.ctx;
  const start = place.position.character - typed.length;
  const range: Range = { start: { line: place.position.line, character: start }, end: { line: place.position.line, character: place.position.character + (/^[A-Za-z0-9_]*/.exec(after)?.[0].length ?? 0) } };
  const closes = /^[A-Za-z0-9_]*(:-[^}]*)?\}/.test(after);
  return env.names().map((name): CompletionItem => {
    const source = env.lookup(name);
    const fromFile = source?.origin !== 'process environment';
    return {
      label: name,
      kind: CompletionItemKind.Variable,
      detail: source?.origin,
      sortText: `${fromFile ? 0 : 1}_${name}`,
      // No value here: the list shows every variable, wherever the cursor is, and any could be a secret (hover shows it where safe).
      documentation: source ? { kind: MarkupKind.Markdown, value: `From ${source.origin}` } : undefined,
      textEdit: { range, newText: closes ? name : `${name}}` },
    };
  });
}
