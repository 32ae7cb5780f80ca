/**
 * What the result panel shows, as plain data the page renders without knowing any runner: a headline, a few facts
 * and sections (tables and code). The host builds it from the runner's JSON (already redacted) and posts it.
 */
export type Tone = 'ok' | 'warning' | 'error' | 'muted';

export interface Cell {
  text: string;
  tone?: Tone;
  /** A codicon name. */
  icon?: string;
}

export interface TableSection {
  type: 'table';
  title: string;
  columns: string[];
  rows: Cell[][];
  /** Initial column widths (`48px`, `20%`, `auto`), first columns first; the others share the rest. */
  widths?: string[];
  /** Said under the table: rows left out, why it is empty. */
  note?: string;
}

export interface CodeSection {
  type: 'code';
  title: string;
  text: string;
  note?: string;
}

export type Section = TableSection | CodeSection;

/** What a button on the page asks the host for; the host passes it on to whoever ran the result. */
export type ResultAction = 'rerun' | 'apply';

export interface Fact {
  label: string;
  value: string;
}

export interface ResultModel {
  title: string;
  headline: Cell;
  facts: Fact[];
  sections: Section[];
  actions: ResultAction[];
}

/** Rows per table and characters per code block: a panel stays quick whatever a runner returned. */
export const MAX_ROWS = 200;
export const MAX_CODE_CHARS = 64 * 1024;

export function table(title: string, columns: string[], rows: Cell[][], emptyNote?: string, widths?: string[]): TableSection {
  const shown = rows.slice(0, MAX_ROWS);
  const note = rows.length > MAX_ROWS ? `${rows.length - MAX_ROWS} more not shown` : rows.length === 0 ? emptyNote : undefined;
  return { type: 'table', title, columns, rows: shown, ...(widths ? { widths } : {}), ...(note ? { note } : {}) };
}

/** JSON pretty-printed (a string that holds JSON too), anything else as it came; cut at MAX_CODE_CHARS. */
export function code(title: string, value: unknown): CodeSection {
  let formatted = typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? String(value));
  if (typeof value === 'string' && value.length <= MAX_CODE_CHARS && /^\s*[[{]/.test(value)) {
    try {
      formatted = JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      // Not JSON after all: shown as text.
    }
  }
  if (formatted.length <= MAX_CODE_CHARS) return { type: 'code', title, text: formatted };
  return { type: 'code', title, text: formatted.slice(0, MAX_CODE_CHARS), note: `cut at ${MAX_CODE_CHARS} of ${formatted.length} characters` };
}

export function cell(text: string | number | undefined, tone?: Tone, icon?: string): Cell {
  return { text: text === undefined ? '—' : String(text), ...(tone ? { tone } : {}), ...(icon ? { icon } : {}) };
}

export function passed(ok: boolean, text: string): Cell {
  return ok ? cell(text, 'ok', 'pass') : cell(text, 'error', 'error');
}
