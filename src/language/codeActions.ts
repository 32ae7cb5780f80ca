import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import { CodeActionKind, type CodeAction, type Diagnostic, type Range, type TextDocumentEdit, type TextEdit, type CreateFile } from 'vscode-languageserver-types';
import type { ConfigFile } from '../core/configFile';
import type { DiagnosticData } from '../core/diagnostic';
import { formatDotEnvValue, parseDotEnv } from '../core/env';
import { propertySchema } from '../core/jsonSchema';
import { urlPassword } from '../core/secrets';
import type { LanguageContext } from './context';
import { documentAt, keyPath, lastLine, nodePath, scalarAt } from './nodePath';
import { describingSchemas, schemaAlong } from './schemaPath';
import { keyTemplate, plainFiller } from './yamlTemplate';

const DISABLE_COMMENT = /^(\s*)#\s*simone-disable-next-line\b(.*)$/;

/** Quick fixes for the given diagnostics (those of `simone`): did-you-mean, missing keys, secrets to `.env`, quoting, silencing a line. */
export function codeActions(file: ConfigFile, _range: Range, diagnostics: Diagnostic[], ctx: LanguageContext): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== undefined && diagnostic.source !== 'simone') continue;
    const data = (diagnostic.data ?? {}) as DiagnosticData;
    switch (diagnostic.code) {
      case 'schema-unknown-property':
      case 'schema-enum':
      case 'reference-unknown':
      case 'event-no-publisher':
      case 'env-undefined':
        actions.push(...replacements(file, diagnostic, data.suggestions ?? []));
        break;
      case 'schema-missing-property':
        actions.push(...addMissing(file, diagnostic, data.missing ?? [], ctx));
        break;
      case 'secret-literal':
        actions.push(...moveSecret(file, diagnostic, data.variable, ctx));
        break;
      case 'yaml11-ambiguous': {
        const text = file.text.slice(file.offset(diagnostic.range.start), file.offset(diagnostic.range.end));
        actions.push(fix(`Quote ${text} so every YAML reader sees a string`, diagnostic, file.uri, [{ range: diagnostic.range, newText: JSON.stringify(text) }], true));
        break;
      }
    }
    if (typeof diagnostic.code === 'string') actions.push(disableLine(file, diagnostic, diagnostic.code));
  }
  return actions;
}

function fix(title: string, diagnostic: Diagnostic, uri: string, edits: TextEdit[], isPreferred = false): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred, edit: { changes: { [uri]: edits } } };
}

/** The value inside a range, without its quotes. */
function unquoted(file: ConfigFile, range: Range): { start: number; end: number; text: string } {
  let start = file.offset(range.start);
  let end = file.offset(range.end);
  if (end - start >= 2 && /^["']$/.test(file.text[start]) && file.text[end - 1] === file.text[start]) {
    start++;
    end--;
  }
  return { start, end, text: file.text.slice(start, end) };
}

function replacements(file: ConfigFile, diagnostic: Diagnostic, suggestions: string[]): CodeAction[] {
  const current = unquoted(file, diagnostic.range);
  const close = diagnostic.message.includes('Did you mean');
  return suggestions.slice(0, 5).map((suggestion, index) => {
    if (diagnostic.code === 'env-undefined') return fix(`Change to \${${suggestion}}`, diagnostic, file.uri, [{ range: diagnostic.range, newText: `\${${suggestion}}` }], close && index === 0);
    // A `<connection>.<table>` source whose connection is unknown: only the connection part changes.
    const dot = current.text.indexOf('.');
    const end = diagnostic.code === 'reference-unknown' && dot > 0 && !suggestion.includes('.') && !suggestion.includes(':') ? current.start + dot : current.end;
    return fix(`Change to "${suggestion}"`, diagnostic, file.uri, [{ range: file.range(current.start, end), newText: suggestion }], close && index === 0);
  });
}

/** The map a missing-property diagnostic is about: the value of the key it sits on, or the list item it covers. */
function ownerMap(file: ConfigFile, diagnostic: Diagnostic): { map: YAMLMap | null; path: Array<string | number>; keyColumn: number; afterLine: number } | undefined {
  const offset = file.offset(diagnostic.range.start);
  const document = documentAt(file, offset);
  if (!document) return undefined;
  const path = nodePath(document, offset);
  const item = [...path].reverse().find((step) => step.kind === 'item' && step.start === offset && isMap(step.node));
  if (item && item.kind === 'item') {
    const map = item.node as YAMLMap;
    const upTo = path.indexOf(item) + 1;
    return { map, path: keyPath(path.slice(0, upTo)), keyColumn: file.position(offset).character, afterLine: lastLine(file, map.range![1]) };
  }
  const at = scalarAt(document, offset);
  if (!at?.isKey || !at.pair) return undefined;
  const value = at.pair.value;
  const keyColumn = file.position(offset).character;
  if (isMap(value)) {
    const first = value.items[0]?.key as Node | undefined;
    const column = first?.range ? file.position(first.range[0]).character : keyColumn + 2;
    return { map: value, path: keyPath(at.path), keyColumn: column, afterLine: lastLine(file, value.range![1]) };
  }
  return { map: null, path: keyPath(at.path), keyColumn: keyColumn + 2, afterLine: diagnostic.range.start.line };
}

function addMissing(file: ConfigFile, diagnostic: Diagnostic, missing: string[], ctx: LanguageContext): CodeAction[] {
  const owner = missing.length ? ownerMap(file, diagnostic) : undefined;
  if (!owner) return [];
  const document = documentAt(file, file.offset(diagnostic.range.start));
  const steps = schemaAlong(document, ctx.schema, owner.path);
  const mapSchema = steps[steps.length - 1].schema;
  if (!mapSchema) return [];
  const lines = missing.flatMap((key) => {
    const schema = propertySchema(mapSchema, ctx.schema, owner.map, key);
    return schema ? keyTemplate(key, schema, ctx.schema, plainFiller) : [`${key}:`];
  });
  const indent = ' '.repeat(owner.keyColumn);
  const end = { line: owner.afterLine, character: file.lineText(owner.afterLine).length };
  const newText = lines.map((line) => `\n${indent}${line.trimEnd()}`).join('');
  const title = `Add missing ${missing.map((key) => `"${key}"`).join(', ')}`;
  return [fix(title, diagnostic, file.uri, [{ range: { start: end, end }, newText }], true)];
}

/** Replaces a literal secret with `${NAME}` and moves the value into the document's `.env` (created if absent, never duplicated). */
function moveSecret(file: ConfigFile, diagnostic: Diagnostic, variable: string | undefined, ctx: LanguageContext): CodeAction[] {
  const envUri = ctx.dotEnvUri(file.uri);
  const offset = file.offset(diagnostic.range.start);
  const document = documentAt(file, offset);
  const at = document && scalarAt(document, offset);
  if (!variable || !envUri || !at || !isScalar(at.scalar) || typeof at.scalar.value !== 'string') return [];
  const steps = schemaAlong(document, ctx.schema, keyPath(at.path));
  const wholeValue = describingSchemas(steps[steps.length - 1], ctx.schema).some((schema) => schema['x-secret']);
  const value = at.scalar.value;
  const password = wholeValue ? undefined : urlPassword(value);
  if (!wholeValue && password === undefined) return [];
  const baseName = wholeValue ? variable : `${variable}_PASSWORD`;
  const secret = password ?? value;

  const existingText = ctx.readText(envUri);
  const existing = parseDotEnv(existingText ?? '');
  let name = baseName;
  for (let suffix = 2; existing.has(name) && existing.get(name) !== secret; suffix++) name = `${baseName}_${suffix}`;

  const source = unquoted(file, diagnostic.range);
  const passwordAt = password === undefined ? -1 : source.text.indexOf(`:${password}@`) + 1;
  const yamlEdit: TextEdit = password === undefined ? { range: diagnostic.range, newText: `\${${name}}` } : { range: file.range(source.start + passwordAt, source.start + passwordAt + password.length), newText: `\${${name}}` };

  const line = `${name}=${formatDotEnvValue(secret)}\n`;
  const envEdits: Array<TextDocumentEdit | CreateFile> = [];
  if (existingText === undefined) {
    envEdits.push({ kind: 'create', uri: envUri, options: { ignoreIfExists: true } }, { textDocument: { uri: envUri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: line }] });
  } else if (!existing.has(name)) {
    const lines = existingText.split('\n');
    const end = { line: lines.length - 1, character: lines[lines.length - 1].length };
    envEdits.push({ textDocument: { uri: envUri, version: null }, edits: [{ range: { start: end, end }, newText: (existingText === '' || existingText.endsWith('\n') ? '' : '\n') + line }] });
  }
  const envName = envUri.slice(envUri.lastIndexOf('/') + 1);
  return [
    {
      title: `Move the secret to ${envName} as \${${name}}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: true,
      edit: { documentChanges: [...envEdits, { textDocument: { uri: file.uri, version: null }, edits: [yamlEdit] }] },
    },
  ];
}

/** `# simone-disable-next-line <code>` above the line (added to an existing such comment when there is one). */
function disableLine(file: ConfigFile, diagnostic: Diagnostic, code: string): CodeAction {
  const line = diagnostic.range.start.line;
  const title = `Disable ${code} on this line`;
  const previous = line > 0 ? DISABLE_COMMENT.exec(file.lineText(line - 1)) : null;
  if (previous && previous[2].trim() !== '') {
    const end = { line: line - 1, character: file.lineText(line - 1).length };
    return fix(title, diagnostic, file.uri, [{ range: { start: end, end }, newText: ` ${code}` }]);
  }
  const indent = /^\s*/.exec(file.lineText(line))?.[0] ?? '';
  const start = { line, character: 0 };
  return fix(title, diagnostic, file.uri, [{ range: { start, end: start }, newText: `${indent}# simone-disable-next-line ${code}\n` }]);
}
