import { Composer, CST, Lexer, Parser, YAMLParseError, type Document } from 'yaml';
import { MAX_NESTING, NESTED_TOO_DEEP } from './nesting';

export interface ParsedStream {
  documents: Document.Parsed[];
  /** Problems of a stream that holds no document. */
  streamErrors: Array<{ message: string; pos: [number, number] }>;
}

/** YAML reads CR alone as a line break too; the `yaml` package does not. Replacing it keeps every offset. */
const LONE_CR = /\r(?!\n)/g;
/** Lexemes that mark a state for the parser and hold no source text. */
const MARKERS = new Set(['doc-mode', 'flow-error-end', 'scalar']);

/**
 * What `parseAllDocuments` gives, with repeated keys allowed, but a document nested deeper than
 * MAX_NESTING is not composed (the composer recurses per level, and so does the parser when it closes
 * many levels at once): the parser is fed no more of that document, which stays empty with one error
 * where it went too deep. The parser's own stack is the depth, so the check costs nothing per token.
 */
export function parseYamlStream(text: string): ParsedStream {
  const source = text.includes('\r') ? text.replace(LONE_CR, '\n') : text;
  const tooDeepAt = new Map<number, number>();
  // Repeated keys are allowed so that validation can tell a repeated endpoint (name-duplicate) from other repeats.
  const composer = new Composer({ uniqueKeys: false });
  const documents = [...composer.compose(boundedTokens(source, tooDeepAt))];
  for (const document of documents) {
    const at = tooDeepAt.get(document.range[0]);
    if (at !== undefined) document.errors.push(new YAMLParseError([at, at + 1], 'RESOURCE_EXHAUSTION', `This document is ${NESTED_TOO_DEEP} here: it is not read past this point, so it is not checked.`));
  }
  return { documents, streamErrors: documents.length ? [] : composer.streamInfo().errors };
}

/** The parser's tokens, with each too-deep document emptied (its start offset mapped to where it went too deep). */
function* boundedTokens(source: string, tooDeepAt: Map<number, number>): Generator<CST.Token> {
  const parser = new Parser();
  let deepAt: number | undefined;
  const marked = function* (tokens: Generator<CST.Token>): Generator<CST.Token> {
    for (const token of tokens) {
      if (token.type === 'document' && deepAt !== undefined) {
        tooDeepAt.set(token.offset, deepAt);
        token.value = undefined;
        deepAt = undefined;
      }
      yield token;
    }
  };
  // While skipping the rest of a too-deep document: the source not fed, and its last line break (fed before the next document).
  let skipping = false;
  let skipped = 0;
  let lineBreak: string | undefined;
  let nextIsScalarText = false;
  for (const lexeme of new Lexer().lex(source)) {
    if (skipping) {
      const type: string | null = nextIsScalarText ? 'scalar-text' : CST.tokenType(lexeme);
      nextIsScalarText = type === 'scalar';
      if (type && MARKERS.has(type)) continue;
      if (type !== 'doc-start' && type !== 'doc-end') {
        skipped += lexeme.length;
        lineBreak = type === 'newline' ? lexeme : undefined;
        continue;
      }
      parser.offset += skipped - (lineBreak?.length ?? 0);
      if (lineBreak) yield* marked(parser.next(lineBreak));
      skipping = false;
      skipped = 0;
      lineBreak = undefined;
    }
    const at = parser.offset;
    yield* marked(parser.next(lexeme));
    // The stack holds the document, then one entry per level.
    if (parser.stack.length - 1 > MAX_NESTING) {
      skipping = true;
      deepAt ??= at;
    }
  }
  parser.offset += skipped;
  yield* marked(parser.end());
}
