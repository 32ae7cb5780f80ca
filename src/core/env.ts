import { join } from 'node:path';
import type { ConfigDiagnostic } from './diagnostic';
import { FileSystemError, nodeFileSystem, type WorkspaceFileSystem } from './fileSystem';
import { readTextFile } from './readTextFile';
import { DEFAULT_TEXT_LIMITS, type TextLimits } from './textLimits';

/** One `${NAME}` or `${NAME:-default}` inside a scalar, with offsets into that scalar's text. */
export interface VariableReference {
  name: string;
  fallback?: string;
  start: number;
  end: number;
}

const NAME = '[A-Za-z_][A-Za-z0-9_]*';
/** A variable's name, as `${NAME}` references write it. */
export const VARIABLE_NAME = new RegExp(`^${NAME}$`);

const REFERENCE = new RegExp(`\\$\\{(${NAME})(?::-([^}]*))?\\}`, 'g');

export function findVariableReferences(text: string): VariableReference[] {
  return [...text.matchAll(REFERENCE)].map((match) => ({
    name: match[1],
    fallback: match[2],
    start: match.index,
    end: match.index + match[0].length,
  }));
}

export function hasVariableReference(text: string): boolean {
  return findVariableReferences(text).length > 0;
}

/** Where a variable's value came from; hovers and errors name it, never the value of a secret. */
export interface VariableSource {
  /** Undefined when the variable is defined where this process does not read values (the editor's secret storage). */
  value?: string;
  origin: string;
}

/** What resolves `${VAR}`s: the process and `.env` files, and in the editor its secret storage (names only). */
export interface EnvironmentProvider {
  lookup(name: string): VariableSource | undefined;
  names(): string[];
}

/** One source of variables; a name mapped to undefined is defined there with a value this process cannot see. */
export interface EnvironmentLayer {
  origin: string;
  values: ReadonlyMap<string, string | undefined>;
}

export class LayeredEnvironment implements EnvironmentProvider {
  constructor(private readonly layers: readonly EnvironmentLayer[]) {}

  lookup(name: string): VariableSource | undefined {
    for (const layer of this.layers) {
      if (layer.values.has(name)) return { value: layer.values.get(name), origin: layer.origin };
    }
    return undefined;
  }

  names(): string[] {
    return [...new Set(this.layers.flatMap((layer) => [...layer.values.keys()]))].sort();
  }
}

/**
 * Replaces every reference; unresolved ones without a default stay as written (and so does one whose value is
 * stored where this process cannot read it: it is unresolved here, though defined).
 */
export function resolveVariables(text: string, env: EnvironmentProvider): { value: string; unresolved: string[] } {
  const unresolved: string[] = [];
  const value = text.replace(REFERENCE, (whole, name: string, fallback: string | undefined) => {
    const found = env.lookup(name);
    if (found && found.value === undefined) {
      unresolved.push(name);
      return whole;
    }
    if (found?.value !== undefined && !(fallback !== undefined && found.value === '')) return found.value;
    if (fallback !== undefined) return fallback;
    unresolved.push(name);
    return whole;
  });
  return { value, unresolved };
}

const DOUBLE_QUOTED = /^"((?:[^"\\]|\\.)*)"/;
const SINGLE_QUOTED = /^'([^']*)'/;
const ESCAPED: Record<string, string> = { n: '\n', r: '\r', '"': '"', '\\': '\\' };

/**
 * The dotenv format: `KEY=value`, optional `export`, `#` comments. Single
 * quotes are literal; double quotes read `\n`, `\r`, `\"` and `\\` (any other
 * backslash stays as written, so `"C:\dir"` is a Windows path).
 */
export function parseDotEnv(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    const written = match[2];
    const doubleQuoted = DOUBLE_QUOTED.exec(written);
    const singleQuoted = SINGLE_QUOTED.exec(written);
    let value: string;
    if (doubleQuoted) value = doubleQuoted[1].replace(/\\(.)/g, (escape, char: string) => ESCAPED[char] ?? escape);
    else if (singleQuoted) value = singleQuoted[1];
    else value = written.replace(/\s+#.*$/, '').trim();
    values.set(match[1], value);
  }
  return values;
}

/**
 * A value as a `.env` line writes it, so that parseDotEnv reads back the same
 * string: bare when plain, in single quotes when it holds no `'` or line break, else in double quotes with `\`,
 * `"` and line breaks escaped.
 */
export function formatDotEnvValue(value: string): string {
  if (!/[\s#"'\\$`]/.test(value)) return value;
  // Single quotes are literal here and in shells, docker compose and dotenv-expand (which expand `$` in double quotes).
  if (!/['\n\r]/.test(value)) return `'${value}'`;
  return `"${value.replace(/[\\"\n\r]/g, (char) => (char === '\n' ? '\\n' : char === '\r' ? '\\r' : `\\${char}`))}"`;
}

/** The `.env` files CONFIG.md names for a workspace folder, nearest first. */
export function dotEnvPaths(folder: string): string[] {
  return [join(folder, '.simone', '.env'), join(folder, '.env')];
}

/** One `.env` file as a layer (empty when the file is missing or was not read), and why it was not read. */
export interface DotEnvRead {
  path: string;
  layer: EnvironmentLayer;
  /** Over its size limit or not UTF-8 text: the diagnostic for the file, at 1:1. */
  diagnostic?: ConfigDiagnostic;
  /** There, but not readable (a FIFO, a folder, no permission, a symlink loop). */
  unreadable?: FileSystemError;
}

/** Reads one `.env` file through the file system seam: bounded, and only a regular file (a FIFO never blocks). */
export function readDotEnv(path: string, fileSystem: WorkspaceFileSystem = nodeFileSystem, limits: TextLimits = DEFAULT_TEXT_LIMITS): DotEnvRead {
  const empty = { origin: path, values: new Map<string, string>() };
  try {
    const read = readTextFile(fileSystem, path, 'dotEnv', limits);
    return 'text' in read ? { path, layer: { origin: path, values: parseDotEnv(read.text) } } : { path, layer: empty, diagnostic: read.diagnostic };
  } catch (error) {
    if (!(error instanceof FileSystemError)) throw error;
    return error.reason === 'missing' ? { path, layer: empty } : { path, layer: empty, unreadable: error };
  }
}

/** Process variables win over `.env` files, as dotenv does; extra layers (secret storage) come first. */
export function layeredEnvironment(processEnv: NodeJS.ProcessEnv, dotEnv: readonly DotEnvRead[], extra: readonly EnvironmentLayer[] = []): LayeredEnvironment {
  const fromProcess = new Map(Object.entries(processEnv).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return new LayeredEnvironment([...extra, { origin: 'process environment', values: fromProcess }, ...dotEnv.map((read) => read.layer)]);
}

/** Every `.env` file of the folders, read. */
export function readFolderDotEnvs(folders: readonly string[], fileSystem: WorkspaceFileSystem = nodeFileSystem, limits: TextLimits = DEFAULT_TEXT_LIMITS): DotEnvRead[] {
  return folders.flatMap((folder) => dotEnvPaths(folder).map((path) => readDotEnv(path, fileSystem, limits)));
}

/** The environment of workspace folders: the process, then each folder's `.env` files (those not read count as empty). */
export function workspaceEnvironment(
  folders: readonly string[],
  processEnv: NodeJS.ProcessEnv = process.env,
  extra: readonly EnvironmentLayer[] = [],
  fileSystem: WorkspaceFileSystem = nodeFileSystem,
  limits: TextLimits = DEFAULT_TEXT_LIMITS,
): LayeredEnvironment {
  return layeredEnvironment(processEnv, readFolderDotEnvs(folders, fileSystem, limits), extra);
}

export const EMPTY_ENVIRONMENT: EnvironmentProvider = new LayeredEnvironment([]);
