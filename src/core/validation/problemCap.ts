import { diagnostic, DIAGNOSTIC_SEVERITY, type ConfigDiagnostic, type DiagnosticCode } from '../diagnostic';

/** Problems listed per file; past this, one more diagnostic counts the rest (a flood helps nobody and costs every client). */
export const MAX_PROBLEMS_PER_FILE = 1_000;

/**
 * The first MAX_PROBLEMS_PER_FILE problems, then one that stands for the rest: it is the first of the rest
 * among the most severe, with its code (so errors still fail a CI run) and a count of what is not listed.
 */
export function capped(diagnostics: ConfigDiagnostic[]): ConfigDiagnostic[] {
  if (diagnostics.length <= MAX_PROBLEMS_PER_FILE) return diagnostics;
  const rest = diagnostics.slice(MAX_PROBLEMS_PER_FILE);
  const first = rest.find((entry) => entry.severity === 'error') ?? rest[0];
  const counts = new Map<DiagnosticCode, number>();
  for (const entry of rest) counts.set(entry.code, (counts.get(entry.code) ?? 0) + 1);
  const byCode = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([code, count]) => `${count.toLocaleString('en-US')} ${code}`);
  const message = `…and ${rest.length.toLocaleString('en-US')} more problems in this file (${byCode.join(', ')}), not listed: only the first ${MAX_PROBLEMS_PER_FILE.toLocaleString('en-US')} are. This is the first of them${DIAGNOSTIC_SEVERITY[first.code] === 'error' ? ' that is an error' : ''}: ${first.message}`;
  return [...diagnostics.slice(0, MAX_PROBLEMS_PER_FILE), diagnostic(first.code, message, first.range)];
}
