import type { ConfigDiagnostic } from '../../core/diagnostic';
import { validateFile } from '../../core/validation/validate';
import { displayPath, withDisplayPaths } from '../displayPath';
import { loadWorkspace } from '../loadWorkspace';
import { formatOption, parseCommandArgs, type Command } from '../usage';

interface Located extends ConfigDiagnostic {
  file: string;
}

/** GitHub's workflow commands need %, CR and LF escaped in messages (and , : in properties). */
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

function render(format: string, files: number, found: Located[]): string {
  if (format === 'json') {
    const diagnostics = found.map((entry) => ({
      file: entry.file,
      line: entry.range.start.line + 1,
      column: entry.range.start.character + 1,
      endLine: entry.range.end.line + 1,
      endColumn: entry.range.end.character + 1,
      severity: entry.severity,
      code: entry.code,
      message: entry.message,
    }));
    return JSON.stringify({ files, diagnostics }, null, 2) + '\n';
  }
  if (format === 'github') {
    return found
      .map((entry) => {
        const { start, end } = entry.range;
        const where = `file=${escapeProperty(entry.file)},line=${start.line + 1},col=${start.character + 1},endLine=${end.line + 1},endColumn=${end.character + 1},title=${entry.code}`;
        return `::${entry.severity} ${where}::${escapeData(entry.message)}\n`;
      })
      .join('');
  }
  const lines = found.map((entry) => `${entry.file}:${entry.range.start.line + 1}:${entry.range.start.character + 1}: ${entry.severity} ${entry.code}: ${entry.message}\n`);
  const errors = found.filter((entry) => entry.severity === 'error').length;
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  return lines.join('') + `${plural(files, 'file')} checked: ${plural(errors, 'error')}, ${plural(found.length - errors, 'warning')}\n`;
}

export const validate: Command = async (args, io) => {
  const { values, positionals } = parseCommandArgs(args, { format: { type: 'string' }, workspace: { type: 'string' } });
  const format = formatOption(values.format, ['text', 'json', 'github'], 'text');
  const workspace = loadWorkspace(io, { paths: positionals, workspace: values.workspace });
  const uris = workspace.files.map((file) => file.uri);
  // Files are known by URI inside the engine; the command line prints them as paths, as given.
  const located = (entry: ConfigDiagnostic, uri: string): Located => ({ ...entry, message: withDisplayPaths(entry.message, uris, io.cwd), file: displayPath(uri, io.cwd) });
  const found: Located[] = [
    ...workspace.dotEnv.flatMap((read) => (read.diagnostic ? [located(read.diagnostic, read.path)] : [])),
    ...workspace.files.flatMap((file) => validateFile(file, { index: workspace.index, env: workspace.env }).map((entry) => located(entry, file.uri))),
  ];
  io.stdout(render(format, workspace.files.length, found));
  return found.some((entry) => entry.severity === 'error') ? 1 : 0;
};
