import { isUtf8 } from 'node:buffer';

const UTF16 = 'not UTF-8 text (looks like UTF-16)';
const UTF32 = 'not UTF-8 text (looks like UTF-32)';
const BINARY = 'not UTF-8 text (looks like binary)';
/** How much of the start tells UTF-16 from binary by where its NULs are. */
const SAMPLE = 8192;

function byteOrderMark(bytes: Uint8Array): string | undefined {
  const [a, b, c, d] = bytes;
  if (a === 0xff && b === 0xfe) return c === 0 && d === 0 ? UTF32 : UTF16;
  if (a === 0xfe && b === 0xff) return UTF16;
  if (a === 0 && b === 0 && c === 0xfe && d === 0xff) return UTF32;
  return undefined;
}

/** UTF-16 of mostly ASCII text has a NUL in every other code unit and almost none in the others. */
function nulsLookLikeUtf16(unitAt: (index: number) => number, length: number): boolean {
  const sample = Math.min(length, SAMPLE);
  const nuls = [0, 0];
  for (let i = 0; i < sample; i++) if (unitAt(i) === 0) nuls[i % 2]++;
  const half = sample / 2;
  return Math.max(...nuls) >= half * 0.3 && Math.min(...nuls) <= half * 0.02;
}

/**
 * Why content is not UTF-8 text, as the one diagnostic at 1:1 says it (instead of a wall of syntax errors);
 * undefined when it is. Takes the bytes of a file, or an editor's text (where a UTF-16 or binary file decoded as
 * UTF-8 leaves its NULs), so the CLI and the language server say the same.
 */
export function notUtf8Text(content: string | Uint8Array): string | undefined {
  if (typeof content === 'string') {
    if (!content.includes('\0')) return undefined;
    return nulsLookLikeUtf16((index) => content.charCodeAt(index), content.length) ? UTF16 : BINARY;
  }
  const marked = byteOrderMark(content);
  if (marked) return marked;
  if (content.includes(0)) return nulsLookLikeUtf16((index) => content[index], content.length) ? UTF16 : BINARY;
  if (isUtf8(content)) return undefined;
  const decoded = new TextDecoder().decode(content);
  const line = decoded.slice(0, decoded.indexOf('\uFFFD')).split('\n').length;
  return `not UTF-8 text (a byte on line ${line} is not UTF-8: Latin-1 or another 8-bit encoding?)`;
}
