import type { Position, Range, SelectionRange } from 'vscode-languageserver-types';
import type { ConfigFile } from '../core/configFile';
import { contentEnd, documentAt, nodePath } from './nodePath';

const sameRange = (a: Range, b: Range): boolean => a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/** Smart selection: scalar, then its pair, the map, the parent pair and so on up to the document. */
export function selectionRanges(file: ConfigFile, positions: Position[]): SelectionRange[] {
  return positions.map((position) => {
    const offset = file.offset(position);
    const document = documentAt(file, offset);
    const span = (start: number, end: number): Range => file.range(start, Math.max(start, contentEnd(file, end)));
    const ranges: Range[] = document ? [span(document.yaml.range[0], document.yaml.range[1])] : [];
    for (const step of document ? nodePath(document, offset) : []) {
      const range = span(step.start, step.end);
      if (!sameRange(range, ranges[ranges.length - 1])) ranges.push(range);
    }
    if (ranges.length === 0) return { range: { start: position, end: position } };
    return ranges.reduce<SelectionRange | undefined>((parent, range) => ({ range, parent }), undefined) as SelectionRange;
  });
}
