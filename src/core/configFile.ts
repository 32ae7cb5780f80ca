import { LineCounter, isMap, isScalar, type Document, type Node, type Pair, type YAMLMap, type Scalar } from 'yaml';
import { diagnostic, type ConfigDiagnostic, type Position, type Range } from './diagnostic';
import { parseChunks, splitDocuments, type DocumentChunk } from './documentChunks';
import { directiveProblems } from './yamlDirectives';
import { parseYamlStream } from './yamlStream';

/** LF, CRLF and CR alone, as LSP and YAML count line breaks. */
const LINE_BREAK = /\r\n?|\n/g;
const LINE_BREAK_AT_END = /(?:\r\n?|\n)$/;

export const DOCUMENT_KINDS = ['integration', 'microservices', 'api_gateway'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** One YAML document of an integration file: `integration:`, `microservices:` or `api_gateway:`. */
export interface ConfigDocument {
  index: number;
  yaml: Document.Parsed;
  /** Known only when the document has a top-level key of that name. */
  kind?: DocumentKind;
  /** The top-level key, where missing-property errors of the body land. */
  kindKey?: Scalar;
  body?: YAMLMap;
}

export interface ParseOptions {
  /**
   * Parse document by document, keeping each document's parse for the next version
   * (an editor's open file). `previous` is the version before: its unchanged documents
   * are reused, and its ranges are no longer valid afterwards.
   */
  incremental?: boolean;
  previous?: ConfigFile;
}

/** A parsed integration file that keeps every node's source range. */
export class ConfigFile {
  readonly lineCounter = new LineCounter();
  readonly documents: ConfigDocument[];
  readonly syntaxDiagnostics: ConfigDiagnostic[] = [];
  /** Set when parsed incrementally: what the next version can reuse. */
  readonly chunks?: DocumentChunk[];

  constructor(
    readonly uri: string,
    readonly text: string,
    options: ParseOptions = {},
  ) {
    const pieces = options.incremental ? splitDocuments(text) : undefined;
    let documents: Document.Parsed[];
    let errors: Array<{ message: string; pos: [number, number] }>;
    if (pieces) {
      this.chunks = parseChunks(pieces, options.previous?.chunks);
      documents = this.chunks.flatMap((chunk) => chunk.documents);
      errors = this.chunks.flatMap((chunk) => [...chunk.streamErrors, ...chunk.documents.flatMap((yaml) => yaml.errors)]);
    } else {
      const parsed = parseYamlStream(text);
      documents = parsed.documents;
      errors = [...parsed.streamErrors, ...documents.flatMap((yaml) => yaml.errors)];
    }
    // From the text itself, as an editor counts lines (the parser skips line breaks it reads inside some tokens).
    this.lineCounter.addNewLine(0);
    for (const lineBreak of text.matchAll(LINE_BREAK)) this.lineCounter.addNewLine(lineBreak.index + lineBreak[0].length);
    this.documents = documents.map((yaml, index) => describeDocument(yaml, index));
    for (const error of errors) this.addSyntaxError(error.message.split('\n')[0], error.pos[0], error.pos[1]);
    for (const problem of directiveProblems(text)) this.addSyntaxError(problem.message, problem.offset, problem.offset + problem.length);
  }

  private addSyntaxError(message: string, start: number, end: number): void {
    this.syntaxDiagnostics.push(diagnostic('yaml-syntax', message, this.range(start, Math.max(end, start + 1))));
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const { line, col } = this.lineCounter.linePos(clamped);
    return { line: line - 1, character: col - 1 };
  }

  offset(position: Position): number {
    const lineStart = position.line < this.lineCounter.lineStarts.length ? this.lineCounter.lineStarts[position.line] : this.text.length;
    return Math.min(lineStart + position.character, this.text.length);
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  /** The source range of a node (value end, so trailing comments are not included). */
  rangeOf(node: Node | null | undefined, fallback?: Range): Range {
    if (!node?.range) return fallback ?? this.range(0, 0);
    return this.range(node.range[0], node.range[1]);
  }

  private lineTexts?: string[];

  /** Every line's text without its line break, split where positions count lines (LF, CRLF, CR). */
  lines(): string[] {
    this.lineTexts ??= this.text.split(LINE_BREAK);
    return this.lineTexts;
  }

  /** The text of one line, without its line break. */
  lineText(line: number): string {
    const starts = this.lineCounter.lineStarts;
    const start = starts[line] ?? this.text.length;
    const end = line + 1 < starts.length ? starts[line + 1] : this.text.length;
    return this.text.slice(start, end).replace(LINE_BREAK_AT_END, '');
  }
}

function describeDocument(yaml: Document.Parsed, index: number): ConfigDocument {
  const root = yaml.contents;
  if (!isMap(root) || root.items.length === 0) return { index, yaml };
  const first = root.items[0] as Pair<Node, Node>;
  const key = isScalar(first.key) ? first.key : undefined;
  const name = key ? String(key.value) : undefined;
  const kind = DOCUMENT_KINDS.find((candidate) => candidate === name);
  return { index, yaml, kind, kindKey: key, body: kind && isMap(first.value) ? (first.value as YAMLMap) : undefined };
}

export function parseConfigFile(uri: string, text: string, options?: ParseOptions): ConfigFile {
  return new ConfigFile(uri, text, options);
}
