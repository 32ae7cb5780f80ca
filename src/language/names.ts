import type { Location, Position, Range } from 'vscode-languageserver-types';
import type { ConfigFile } from '../core/configFile';
import { parseHandler } from '../core/validation/references';
import { isAbsoluteUrl } from '../core/urlJoin';
import { indexFile, type Definition, type FileIndex, type DefinitionKind, type IndexEntry, type Reference } from '../core/workspaceIndex';
import type { ReferenceKind } from '../core/jsonSchema';
import type { LanguageContext } from './context';

/** Something a name in the config stands for; endpoints and connections are scoped to their integration. */
export type NameKind = 'integration' | 'queue' | 'service' | 'connection' | 'endpoint' | 'event';

export interface NameTarget {
  kind: NameKind;
  name: string;
  integration?: string;
}

export interface NameAt {
  target: NameTarget;
  /** The name itself in this file (inside quotes, or the part of a handler or `<connection>.<table>` it is). */
  range: Range;
  isDeclaration: boolean;
}

/** A file's own names, read once per parse (hover and navigation ask several times per request). */
const ownIndexes = new WeakMap<ConfigFile, FileIndex>();
function ownIndex(file: ConfigFile): FileIndex {
  let index = ownIndexes.get(file);
  if (!index) ownIndexes.set(file, (index = indexFile(file)));
  return index;
}

/** Definitions of the workspace, with the open file's read from its current text (the index may lag one edit). */
function definitions(ctx: LanguageContext, file: ConfigFile, kind?: DefinitionKind): Definition[] {
  return [...ctx.index.definitions(kind).filter((entry) => entry.uri !== file.uri), ...ownIndex(file).definitions.filter((entry) => kind === undefined || entry.kind === kind)];
}

function references(ctx: LanguageContext, file: ConfigFile, kind?: ReferenceKind): Reference[] {
  return [...ctx.index.references(kind).filter((entry) => entry.uri !== file.uri), ...ownIndex(file).references.filter((entry) => kind === undefined || entry.kind === kind)];
}

const within = (range: Range, position: Position): boolean =>
  (position.line > range.start.line || (position.line === range.start.line && position.character >= range.start.character)) &&
  (position.line < range.end.line || (position.line === range.end.line && position.character <= range.end.character));

/** Where `prefix + name` sits inside an entry's node (quotes and prefixes skipped); the whole node when not found. */
function nameRange(file: ConfigFile | undefined, entry: IndexEntry, prefix: string, name: string): Range {
  if (!file) return entry.range;
  const start = file.offset(entry.range.start);
  const found = file.text.slice(start, file.offset(entry.range.end)).indexOf(prefix + name);
  return found < 0 ? entry.range : file.range(start + found + prefix.length, start + found + prefix.length + name.length);
}

const DEFINITION_TARGET: Partial<Record<DefinitionKind, NameKind>> = { integration: 'integration', queue: 'queue', service: 'service', connection: 'connection', endpoint: 'endpoint', 'webhook-endpoint': 'endpoint', 'published-event': 'event' };
const SCOPED: NameKind[] = ['connection', 'endpoint'];

/** The name under the cursor: a declaration, or a reference to one. */
export function nameAt(file: ConfigFile, position: Position): NameAt | undefined {
  const own = ownIndex(file);
  for (const entry of own.definitions) {
    const kind = DEFINITION_TARGET[entry.kind];
    if (!kind || !within(entry.range, position)) continue;
    const target: NameTarget = { kind, name: entry.name, integration: SCOPED.includes(kind) ? entry.integration : undefined };
    return { target, range: nameRange(file, entry, '', entry.name), isDeclaration: true };
  }
  for (const entry of own.references) {
    if (!within(entry.range, position)) continue;
    const candidates = referenceTargets(entry);
    const spans = candidates.map((candidate) => ({ ...candidate, range: nameRange(file, entry, candidate.prefix, candidate.target.name) }));
    const hit = spans.find((span) => within(span.range, position)) ?? spans[0];
    if (hit) return { target: hit.target, range: hit.range, isDeclaration: false };
  }
  return undefined;
}

/** What a reference names, with the text before each name inside the value. */
function referenceTargets(entry: Reference): Array<{ target: NameTarget; prefix: string }> {
  switch (entry.kind) {
    case 'destination':
      return isAbsoluteUrl(entry.name) || entry.name.includes('${') ? [] : [{ target: { kind: 'queue', name: entry.name }, prefix: '' }];
    case 'service':
      return [{ target: { kind: 'service', name: entry.name }, prefix: '' }];
    case 'connection':
      return [{ target: { kind: 'connection', name: entry.name, integration: entry.integration }, prefix: '' }];
    case 'sync-source': {
      const dot = entry.name.indexOf('.');
      return dot > 0 ? [{ target: { kind: 'connection', name: entry.name.slice(0, dot), integration: entry.integration }, prefix: '' }] : [];
    }
    case 'event':
      return [{ target: { kind: 'event', name: entry.name }, prefix: '' }];
    case 'handler': {
      const handler = parseHandler(entry.name);
      if (handler.form === 'queue') return [{ target: { kind: 'queue', name: handler.queue }, prefix: 'queue:' }];
      if (handler.form === 'webhook') {
        return [
          { target: { kind: 'integration', name: handler.integration }, prefix: 'webhook:' },
          { target: { kind: 'endpoint', name: handler.endpoint, integration: handler.integration }, prefix: `webhook:${handler.integration}/` },
        ];
      }
      return [];
    }
  }
}

const sameTarget = (a: NameTarget, b: NameTarget): boolean => a.kind === b.kind && a.name === b.name && (!SCOPED.includes(a.kind) || a.integration === b.integration);

const location = (ctx: LanguageContext, file: ConfigFile, entry: IndexEntry, prefix: string, name: string): Location => ({
  uri: entry.uri,
  range: nameRange(entry.uri === file.uri ? file : ctx.file(entry.uri), entry, prefix, name),
});

/** Where a name is declared (for an event: the publishers that emit it). */
export function declarationsOf(target: NameTarget, file: ConfigFile, ctx: LanguageContext): Location[] {
  return definitions(ctx, file)
    .filter((entry) => {
      const kind = DEFINITION_TARGET[entry.kind];
      return kind !== undefined && sameTarget({ kind, name: entry.name, integration: entry.integration }, target);
    })
    .map((entry) => location(ctx, file, entry, '', target.name));
}

/** Every place that refers to a name, with the range of the name part only (what rename edits). */
export function usagesOf(target: NameTarget, file: ConfigFile, ctx: LanguageContext): Location[] {
  return references(ctx, file).flatMap((entry) =>
    referenceTargets(entry)
      .filter((candidate) => sameTarget(candidate.target, target))
      .map((candidate) => location(ctx, file, entry, candidate.prefix, target.name)),
  );
}
