import { LineCounter, parseDocument } from 'yaml';

export type FrontMatterResult = { ok: true; data: Record<string, unknown> } | { ok: false; line: number; message: string };

const OPENING = /^\uFEFF?---[ \t]*\r?\n/;
const CLOSING = /^---[ \t]*$/m;

/** The YAML between the leading `---` lines of a Markdown file; problems carry a 1-based file line. */
export function parseFrontMatter(text: string): FrontMatterResult {
  const opening = OPENING.exec(text);
  if (!opening) return { ok: false, line: 1, message: 'no front matter (the file must start with a "---" line)' };
  const rest = text.slice(opening[0].length);
  const closing = CLOSING.exec(rest);
  if (!closing) return { ok: false, line: 1, message: 'front matter is not closed by a "---" line' };
  const lineCounter = new LineCounter();
  const document = parseDocument(rest.slice(0, closing.index), { lineCounter, prettyErrors: false });
  // The YAML starts on the second line of the file.
  const error = document.errors[0];
  if (error) return { ok: false, line: lineCounter.linePos(error.pos[0]).line + 1, message: `front matter: ${error.message.split('\n')[0]}` };
  const data: unknown = document.toJS();
  if (data === null || data === undefined) return { ok: true, data: {} };
  if (typeof data !== 'object' || Array.isArray(data)) return { ok: false, line: 2, message: 'front matter must be a map of fields' };
  return { ok: true, data: data as Record<string, unknown> };
}
