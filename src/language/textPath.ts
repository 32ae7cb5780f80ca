import type { Segment } from './schemaPath';

/** Where a line opens something: a list item's dash, or a key. */
interface Anchor {
  column: number;
  kind: 'item' | 'key';
  name?: string;
}

const KEY = /^(["']?)([^\s"'#:{}[\],][^"'#:]*?)\1[ \t]*:(?:[ \t]|$)/;

/** The dashes and the key a line opens, left to right; empty for blank and comment lines. */
export function anchorsOf(line: string): Anchor[] {
  const anchors: Anchor[] = [];
  let column = line.length - line.trimStart().length;
  while (line[column] === '-' && (column + 1 === line.length || line[column + 1] === ' ')) {
    anchors.push({ column, kind: 'item' });
    column++;
    while (line[column] === ' ') column++;
  }
  const key = KEY.exec(line.slice(column));
  if (key) anchors.push({ column, kind: 'key', name: key[2] });
  return anchors;
}

const isDocumentMarker = (line: string): boolean => /^(---|\.\.\.)(\s|$)/.test(line);

/**
 * The path (keys and "the item here") to whatever sits at `column` on line `lineNumber`,
 * read from the indentation of the lines above, so it holds while the YAML is half typed.
 * `isItem` says the thing at `column` is a list item (a dash), whose key may sit at the same column.
 */
export function pathAbove(lines: string[], lineNumber: number, column: number, offsetOf: (line: number) => number, isItem = false): Segment[] {
  const segments: Segment[] = [];
  let target = column;
  let targetIsItem = isItem;
  for (let line = lineNumber - 1; line >= 0 && (target > 0 || targetIsItem); line--) {
    if (isDocumentMarker(lines[line])) break;
    const anchors = anchorsOf(lines[line]);
    const parent = [...anchors].reverse().find((anchor) => anchor.column < target || (targetIsItem && anchor.kind === 'key' && anchor.column === target));
    if (!parent) continue;
    segments.unshift(parent.kind === 'key' ? (parent.name as string) : { itemAt: offsetOf(line) + lines[line].length });
    target = parent.column;
    targetIsItem = parent.kind === 'item';
  }
  return segments;
}

/** Keys already written in the map whose keys sit at `column` around line `lineNumber` (that line excluded). */
export function siblingKeys(lines: string[], lineNumber: number, column: number, startsItem: boolean): string[] {
  const keys: string[] = [];
  const keyAt = (anchors: Anchor[]) => anchors.find((anchor) => anchor.kind === 'key' && anchor.column === column)?.name;
  const opensOuter = (anchors: Anchor[]) => anchors.some((anchor) => anchor.column < column);
  for (let line = lineNumber - 1; line >= 0 && !startsItem; line--) {
    if (isDocumentMarker(lines[line])) break;
    const anchors = anchorsOf(lines[line]);
    const key = keyAt(anchors);
    if (key) keys.push(key);
    if (opensOuter(anchors)) break;
  }
  for (let line = lineNumber + 1; line < lines.length; line++) {
    if (isDocumentMarker(lines[line])) break;
    const anchors = anchorsOf(lines[line]);
    if (opensOuter(anchors)) break;
    const key = keyAt(anchors);
    if (key) keys.push(key);
  }
  return keys;
}
