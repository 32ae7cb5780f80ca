import { parseConfigFile } from '../../src/core/configFile';
import { validateFile } from '../../src/core/validation/validate';
import { codeActions, codeLenses, complete, definition, documentLinks, documentSymbols, foldingRanges, hover, prepareRename, references, rename, selectionRanges, toLspDiagnostic } from '../../src/language';
import type { languageContext } from './languageContext';

/** Runs every language feature on a text, the position ones at each position (LSP, 0-based); returns how many position calls it made. */
export function everyFeature(text: string, positions: Array<{ line: number; character: number }>, ctx: ReturnType<typeof languageContext>): number {
  const file = parseConfigFile('file:///ws/case.yaml', text);
  const diagnostics = validateFile(file, { index: ctx.index, env: ctx.env }).map(toLspDiagnostic);
  documentSymbols(file);
  foldingRanges(file);
  documentLinks(file);
  codeLenses(file, ctx);
  selectionRanges(file, positions);
  codeActions(file, { start: positions[0], end: positions[positions.length - 1] }, diagnostics, ctx);
  for (const position of positions) {
    complete(file, position, ctx);
    hover(file, position, ctx);
    definition(file, position, ctx);
    references(file, position, ctx, true);
    prepareRename(file, position, ctx);
    rename(file, position, 'renamed', ctx);
  }
  return positions.length * 6;
}
