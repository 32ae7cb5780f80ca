import type { Position, Range } from '../../src/core/diagnostic';

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Text with `«` and `»` around the range a test expects (as yaml-language-server's test helpers mark carets). */
export function markedRange(textWithMarkers: string): { text: string; range: Range } {
  const start = textWithMarkers.indexOf('«');
  const end = textWithMarkers.indexOf('»') - 1;
  if (start < 0 || end < start) throw new Error('mark the expected range with « and »');
  const text = textWithMarkers.replace('«', '').replace('»', '');
  return { text, range: { start: positionAt(text, start), end: positionAt(text, end) } };
}

/** Text with one `‸` where the cursor is. */
export function cursorAt(textWithCaret: string): { text: string; position: Position } {
  const offset = textWithCaret.indexOf('‸');
  if (offset < 0) throw new Error('mark the cursor with ‸');
  return { text: textWithCaret.replace('‸', ''), position: positionAt(textWithCaret, offset) };
}
