import { basename } from 'node:path';
import { parseConfigFile, type ConfigFile, type ParseOptions } from './configFile';
import { diagnostic, type ConfigDiagnostic } from './diagnostic';
import type { WorkspaceFileSystem } from './fileSystem';
import { notUtf8Text } from './textEncoding';
import { formatSize, type TextLimits } from './textLimits';
import { pathToUri, uriToPath } from './uris';

/** Which limit applies: integration files and Simone Markdown are `yaml`. */
export type TextFileKind = 'yaml' | 'dotEnv';

export type TextFileRead = { text: string } | { diagnostic: ConfigDiagnostic };

const LIMIT_KEY = { yaml: 'yamlBytes', dotEnv: 'dotEnvBytes' } as const;
const KIND_LABEL = { yaml: 'YAML', dotEnv: '.env' } as const;
const FIRST_CHARACTER = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * A file's text, or the one diagnostic (at 1:1) that says why it is not parsed: over its size limit, or not UTF-8
 * text. Throws a FileSystemError when the path cannot be read at all.
 */
export function readTextFile(fileSystem: WorkspaceFileSystem, path: string, kind: TextFileKind, limits: TextLimits): TextFileRead {
  const limit = limits[LIMIT_KEY[kind]];
  const read = fileSystem.readText(path, limit);
  if (read.kind === 'text') return { text: read.text };
  if (read.kind === 'not-text') return notText(read.message);
  return tooLarge(basename(path), read.size, kind, limits);
}

/**
 * An editor's text for a file, held to what readTextFile holds a file to: within the size limit, and text (an
 * editor that decoded a UTF-16 or binary file as UTF-8 leaves its NULs), so an open file is no way around them.
 */
function checkEditorText(name: string, text: string, kind: TextFileKind, limits: TextLimits): TextFileRead {
  const size = Buffer.byteLength(text, 'utf8');
  if (size > limits[LIMIT_KEY[kind]]) return tooLarge(name, size, kind, limits);
  const problem = notUtf8Text(text);
  return problem ? notText(problem) : { text };
}

function notText(message: string): TextFileRead {
  return { diagnostic: diagnostic('file-encoding', message, FIRST_CHARACTER) };
}

function tooLarge(name: string, size: number, kind: TextFileKind, limits: TextLimits): TextFileRead {
  const limit = limits[LIMIT_KEY[kind]];
  const setting = limits.settings ? ` (${limits.settings[LIMIT_KEY[kind]]})` : '';
  const message = `${name} is ${formatSize(size)}, over the ${formatSize(limit)} limit for ${KIND_LABEL[kind]} files${setting}: it is not read`;
  return { diagnostic: diagnostic('file-too-large', message, FIRST_CHARACTER) };
}

/** An integration file that was not parsed: no documents, one diagnostic. */
function unparsedConfigFile(uri: string, problem: ConfigDiagnostic): ConfigFile {
  const file = parseConfigFile(uri, '');
  file.syntaxDiagnostics.push(problem);
  return file;
}

/** An integration file from what readTextFile read: parsed, or not parsed with the diagnostic saying why. */
export function configFileOf(uri: string, read: TextFileRead, options?: ParseOptions): ConfigFile {
  return 'text' in read ? parseConfigFile(uri, read.text, options) : unparsedConfigFile(uri, read.diagnostic);
}

/** An integration file from disk under its `file://` URI. Throws a FileSystemError when it cannot be read. */
export function readConfigFile(fileSystem: WorkspaceFileSystem, path: string, limits: TextLimits): ConfigFile {
  return configFileOf(pathToUri(path), readTextFile(fileSystem, path, 'yaml', limits));
}

/** An integration file from an editor's text (see checkEditorText): parsed, or not parsed with the diagnostic saying why. */
export function editorConfigFile(uri: string, text: string, limits: TextLimits, options?: ParseOptions): ConfigFile {
  return configFileOf(uri, checkEditorText(basename(uriToPath(uri) ?? uri), text, 'yaml', limits), options);
}
