import type {
  CodeAction,
  CodeLens,
  CompletionList,
  Diagnostic,
  DocumentLink,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Location,
  Position,
  Range,
  SelectionRange,
  WorkspaceEdit,
} from 'vscode-languageserver-types';
import type { ConfigFile } from '../core/configFile';
import type { LanguageContext } from '../language/context';
import * as language from '../language';

/**
 * The pure functions of `src/language` the server answers requests with. A
 * feature that is absent is neither registered nor announced in the
 * capabilities; tests pass their own to exercise the wiring (a throwing hover,
 * say). Validation is not here: it runs in the check worker (`validate.ts`).
 */
export interface LanguageFeatures {
  complete?(file: ConfigFile, position: Position, context: LanguageContext): CompletionList;
  hover?(file: ConfigFile, position: Position, context: LanguageContext): Hover | null;
  documentSymbols?(file: ConfigFile): DocumentSymbol[];
  foldingRanges?(file: ConfigFile): FoldingRange[];
  selectionRanges?(file: ConfigFile, positions: Position[]): SelectionRange[];
  definition?(file: ConfigFile, position: Position, context: LanguageContext): Location[];
  references?(file: ConfigFile, position: Position, context: LanguageContext, includeDeclaration: boolean): Location[];
  prepareRename?(file: ConfigFile, position: Position, context: LanguageContext): { range: Range; placeholder: string } | null;
  rename?(file: ConfigFile, position: Position, newName: string, context: LanguageContext): WorkspaceEdit | null;
  codeActions?(file: ConfigFile, range: Range, diagnostics: Diagnostic[], context: LanguageContext): CodeAction[];
  documentLinks?(file: ConfigFile): DocumentLink[];
  codeLenses?(file: ConfigFile, context: LanguageContext): CodeLens[];
}

export const languageFeatures: LanguageFeatures = {
  complete: language.complete,
  hover: language.hover,
  documentSymbols: language.documentSymbols,
  foldingRanges: language.foldingRanges,
  selectionRanges: language.selectionRanges,
  definition: language.definition,
  references: language.references,
  prepareRename: language.prepareRename,
  rename: language.rename,
  codeActions: language.codeActions,
  documentLinks: language.documentLinks,
  codeLenses: language.codeLenses,
};

