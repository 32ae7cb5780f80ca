import type { ConfigDiagnostic } from '../diagnostic';

const DISABLE_NEXT_LINE = /^\s*#\s*simone-disable-next-line\b(.*)$/;

/** Lines (0-based) silenced by `# simone-disable-next-line [code ...]`, with the codes (empty: every code). */
export function silencedLines(text: string): Map<number, Set<string>> {
  const silenced = new Map<number, Set<string>>();
  text.split(/\r\n?|\n/).forEach((line, index) => {
    const match = DISABLE_NEXT_LINE.exec(line);
    if (match) silenced.set(index + 1, new Set(match[1].split(/[\s,]+/).filter(Boolean)));
  });
  return silenced;
}

export function withoutSilenced(diagnostics: ConfigDiagnostic[], text: string): ConfigDiagnostic[] {
  if (!text.includes('simone-disable-next-line')) return diagnostics;
  const silenced = silencedLines(text);
  return diagnostics.filter((entry) => {
    const codes = silenced.get(entry.range.start.line);
    return !codes || (codes.size > 0 && !codes.has(entry.code));
  });
}
