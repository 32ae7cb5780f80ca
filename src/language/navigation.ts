import type { Location, Position, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import type { ConfigFile } from '../core/configFile';
import type { LanguageContext } from './context';
import { declarationsOf, nameAt, usagesOf, type NameKind } from './names';

/** Go to definition: from a reference to what it names (a subscriber's event to the publishers that emit it); a declaration to itself. */
export function definition(file: ConfigFile, position: Position, ctx: LanguageContext): Location[] {
  const at = nameAt(file, position);
  if (!at) return [];
  if (at.isDeclaration && at.target.kind !== 'event') return [{ uri: file.uri, range: at.range }];
  return declarationsOf(at.target, file, ctx);
}

/** Every use of the name under the cursor across the workspace, from its declaration or from any use. */
export function references(file: ConfigFile, position: Position, ctx: LanguageContext, includeDeclaration: boolean): Location[] {
  const at = nameAt(file, position);
  if (!at) return [];
  return [...(includeDeclaration ? declarationsOf(at.target, file, ctx) : []), ...usagesOf(at.target, file, ctx)];
}

/** What may be renamed, and what a new name must look like. */
const RENAMEABLE: Partial<Record<NameKind, RegExp>> = {
  integration: /^[a-z][a-z0-9_]*$/,
  queue: /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/,
  service: /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/,
  // A dot would split `<connection>.<table>` sources.
  connection: /^[A-Za-z_][A-Za-z0-9_-]*$/,
};

export function prepareRename(file: ConfigFile, position: Position, _ctx: LanguageContext): { range: Range; placeholder: string } | null {
  const at = nameAt(file, position);
  return at && RENAMEABLE[at.target.kind] ? { range: at.range, placeholder: at.target.name } : null;
}

/** Renames an integration, queue, service or connection everywhere it is declared and used; null when the new name is not valid for it. */
export function rename(file: ConfigFile, position: Position, newName: string, ctx: LanguageContext): WorkspaceEdit | null {
  const at = nameAt(file, position);
  const pattern = at && RENAMEABLE[at.target.kind];
  if (!at || !pattern || !pattern.test(newName)) return null;
  const changes: Record<string, TextEdit[]> = {};
  for (const place of [...declarationsOf(at.target, file, ctx), ...usagesOf(at.target, file, ctx)]) {
    (changes[place.uri] ??= []).push({ range: place.range, newText: newName });
  }
  return { changes };
}
