import { Parser } from 'yaml';

/**
 * Directive problems the `yaml` composer lets through: a `%YAML` directive given
 * twice for one document, and directives with no document after them.
 */
export function directiveProblems(text: string): Array<{ offset: number; length: number; message: string }> {
  if (!/^%/m.test(text)) return [];
  const problems: Array<{ offset: number; length: number; message: string }> = [];
  let pending: Array<{ offset: number; source: string }> = [];
  for (const token of new Parser().parse(text)) {
    if (token.type === 'directive') {
      if (token.source.startsWith('%YAML') && pending.some((directive) => directive.source.startsWith('%YAML'))) {
        problems.push({ offset: token.offset, length: token.source.length, message: 'The %YAML directive may appear only once per document.' });
      }
      pending.push({ offset: token.offset, source: token.source });
    } else if (token.type === 'document') {
      pending = [];
    }
  }
  if (pending.length > 0) problems.push({ offset: pending[0].offset, length: pending[0].source.length, message: 'A directive must be followed by a document (---).' });
  return problems;
}
