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

/** Where a `${` that starts a reference is never closed by a `}`: `${NAME:-…` or `${NAME…` with no `}` after it. */
export interface UnclosedReference {
  name: string;
  /** Offsets of the `${NAME` (and `:-`, when written) that opens it. */
  start: number;
  end: number;
}

export interface VariableScan {
  references: VariableReference[];
  unclosed?: UnclosedReference;
}

const isNameStart = (char: string | undefined): boolean => char !== undefined && /[A-Za-z_]/.test(char);
const isNameChar = (char: string | undefined): boolean => char !== undefined && /[A-Za-z0-9_]/.test(char);

/**
 * Every `${NAME}` and `${NAME:-default}` in one pass (a default ends at the first `}`), and the first
 * reference left unclosed. Linear in the text: once a `${` has no `}` after it, no later reference can close.
 */
export function scanVariableReferences(text: string): VariableScan {
  const references: VariableReference[] = [];
  const lastClose = text.lastIndexOf('}');
  for (let start = text.indexOf('${'); start >= 0; ) {
    let nameEnd = start + 2;
    if (!isNameStart(text[nameEnd])) {
      start = text.indexOf('${', nameEnd);
      continue;
    }
    while (isNameChar(text[nameEnd])) nameEnd++;
    const name = text.slice(start + 2, nameEnd);
    if (lastClose < nameEnd) return { references, unclosed: { name, start, end: text.startsWith(':-', nameEnd) ? nameEnd + 2 : nameEnd } };
    let next = nameEnd;
    if (text[nameEnd] === '}') {
      references.push({ name, start, end: nameEnd + 1 });
      next = nameEnd + 1;
    } else if (text.startsWith(':-', nameEnd)) {
      const close = text.indexOf('}', nameEnd + 2);
      references.push({ name, fallback: text.slice(nameEnd + 2, close), start, end: close + 1 });
      next = close + 1;
    }
    start = text.indexOf('${', next);
  }
  return { references };
}

export function findVariableReferences(text: string): VariableReference[] {
  return text.includes('${') ? scanVariableReferences(text).references : [];
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
  let value = '';
  let copied = 0;
  for (const reference of findVariableReferences(text)) {
    value += text.slice(copied, reference.start) + replacement(reference, text, env, unresolved);
    copied = reference.end;
  }
  return { value: copied === 0 ? text : value + text.slice(copied), unresolved };
}

function replacement(reference: VariableReference, text: string, env: EnvironmentProvider, unresolved: string[]): string {
  const found = env.lookup(reference.name);
  const whole = () => text.slice(reference.start, reference.end);
  if (found && found.value === undefined) {
    unresolved.push(reference.name);
    return whole();
  }
  if (found?.value !== undefined && !(reference.fallback !== undefined && found.value === '')) return found.value;
  if (reference.fallback !== undefined) return reference.fallback;
  unresolved.push(reference.name);
  return whole();
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
