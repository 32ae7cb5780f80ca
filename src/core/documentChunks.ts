import { visit, type Document } from 'yaml';
import { parseYamlStream } from './yamlStream';

/** The text of one YAML document (from its `---` line to the next one) at its offset in the file. */
export interface DocumentChunk {
  start: number;
  text: string;
  /** Its parsed documents (one, or none for a chunk of comments), ranges in file offsets. */
  documents: Document.Parsed[];
  /** Problems of a chunk that holds no document. */
  streamErrors: Array<{ message: string; pos: [number, number] }>;
}

/** What may follow `---` at the start of a line for it to start a document. */
const AFTER_MARKER = new Set([undefined, '\n', '\r', ' ', '\t']);
/** Lines that make splitting unsafe: directives belong to the next document, `...` may start a bare one. */
const UNSPLITTABLE = /^(%|\.\.\.(?:[ \t]|\r?$))/m;

/**
 * Splits a file at its `---` lines, or undefined when it can't be split safely.
 * A `---` at column 0 always ends the document before it (YAML forbids it inside
 * scalars), so each chunk parses alone exactly as it does within the file.
 */
export function splitDocuments(text: string): Array<{ start: number; text: string }> | undefined {
  if (UNSPLITTABLE.test(text)) return undefined;
  const chunks: Array<{ start: number; text: string }> = [];
  let chunkStart = 0;
  for (let lineStart = 0; lineStart < text.length; ) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? text.length : newline + 1;
    if (lineStart > chunkStart && text.startsWith('---', lineStart) && AFTER_MARKER.has(text[lineStart + 3])) {
      chunks.push({ start: chunkStart, text: text.slice(chunkStart, lineStart) });
      chunkStart = lineStart;
    }
    lineStart = lineEnd;
  }
  chunks.push({ start: chunkStart, text: text.slice(chunkStart) });
  return chunks;
}

/** Moves every range of a parsed chunk by `delta` characters. */
function shift(documents: Document.Parsed[], delta: number): void {
  if (delta === 0) return;
  for (const document of documents) {
    document.range = document.range.map((offset) => offset + delta) as typeof document.range;
    for (const error of [...document.errors, ...document.warnings]) error.pos = [error.pos[0] + delta, error.pos[1] + delta];
    visit(document, {
      Node(_key, node) {
        if (node.range) node.range = node.range.map((offset) => offset + delta) as typeof node.range;
      },
    });
  }
}

export function parseChunk(text: string, start: number): DocumentChunk {
  const { documents, streamErrors } = parseYamlStream(text);
  shift(documents, start);
  return { start, text, documents, streamErrors: streamErrors.map((error) => ({ message: error.message, pos: [error.pos[0] + start, error.pos[1] + start] })) };
}

/**
 * The chunks of `text`, reusing the parsed documents of `previous` chunks whose text
 * is unchanged (moved to their new offset): an edit re-parses only its own document.
 * Reused documents are moved in place, so the previous file's ranges go stale.
 */
export function parseChunks(pieces: Array<{ start: number; text: string }>, previous: DocumentChunk[] = []): DocumentChunk[] {
  const reusable = new Map<string, DocumentChunk[]>();
  for (const chunk of previous) {
    if (chunk.streamErrors.length > 0) continue;
    const same = reusable.get(chunk.text);
    if (same) same.push(chunk);
    else reusable.set(chunk.text, [chunk]);
  }
  return pieces.map((piece) => {
    const reused = reusable.get(piece.text)?.shift();
    if (!reused) return parseChunk(piece.text, piece.start);
    shift(reused.documents, piece.start - reused.start);
    return { ...reused, start: piece.start };
  });
}
