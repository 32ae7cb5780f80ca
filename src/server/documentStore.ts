import { isAbsolute, relative } from 'node:path';
import { EventEmitter, type Event } from 'cockatiel';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ConfigFile } from '../core/configFile';
import { dotEnvPaths, workspaceEnvironment, type EnvironmentLayer, type EnvironmentProvider } from '../core/env';
import { nodeFileSystem, typeAt } from '../core/fileSystem';
import { findIntegrationFiles, isIntegrationFile } from '../core/integrationFiles';
import type { JsonSchema } from '../core/jsonSchema';
import { configFileOf, editorConfigFile, readTextFile, type TextFileRead } from '../core/readTextFile';
import { Redactor } from '../core/redactor';
import { integrationSchema } from '../core/schema';
import { collectDocumentSecrets } from '../core/secrets';
import { DEFAULT_TEXT_LIMITS, textLimitsFromEnvironment, type TextLimits } from '../core/textLimits';
import { folderOfFile } from '../core/workspace';
import { WorkspaceIndex } from '../core/workspaceIndex';
import type { LanguageContext } from '../language/context';
import { canonicalUri, pathToUri, uriToPath } from '../core/uris';

/** A file's names changed: the files that define or refer to them need validating again. */
export interface IndexChange {
  uri: string;
  changedNames: string[];
}

/** How many files not open stay parsed; the others keep only their text and index entries. */
const PARSED_DISK_FILES = 32;
/** How long reading a workspace runs before it lets waiting requests through (a turn of the event loop). */
const INDEX_SLICE_MS = 10;

/** Finds a folder's integration files: on the main thread, in a worker (the walk is synchronous). */
export type FindIntegrationFiles = (folder: string) => string[] | Promise<string[]>;

/**
 * The workspace as the server sees it: open documents (their editor text, parsed
 * and indexed as each version arrives) and every integration file of the
 * workspace folders read from disk, all in one `WorkspaceIndex`; and the
 * environment from the folders' `.env` files. Only edits change it: lookups
 * (`file`, `context`) never parse into it. Every URI is canonical (see
 * `canonicalUri`). The check worker keeps a replica fed the same edits
 * (`checkProtocol.ts`).
 */
export class DocumentStore {
  readonly index = new WorkspaceIndex();
  readonly schema = integrationSchema as JsonSchema;
  private folders: string[] = [];
  private environment: EnvironmentProvider;
  private secretLayer: EnvironmentLayer[] = [];
  private readonly openDocuments = new Map<string, TextDocument>();
  private readonly parsedOpen = new Map<string, { version: number; file: ConfigFile }>();
  /** The text of integration files that are not open (or the diagnostic saying why it was not read). */
  private readonly diskTexts = new Map<string, TextFileRead>();
  private readonly parsedDisk = new Map<string, ConfigFile>();
  /** Each file's defined names (`kind NUL name`), to tell which names an edit added or removed. */
  private readonly definedNames = new Map<string, Set<string>>();
  /** Bumped whenever a file's text changes, so a check of an older text is known to be stale. */
  private readonly revisions = new Map<string, number>();
  private nextRevision = 1;
  private secretNameList: string[] = [];
  /** Each file's values in secret places (`collectDocumentSecrets`), and the redactor over all of them. */
  private readonly secretsByUri = new Map<string, readonly string[]>();
  private secretsStale = false;
  private redactorCache?: Redactor;
  private readonly indexChanged = new EventEmitter<IndexChange>();
  private readonly environmentChanged = new EventEmitter<void>();

  readonly onDidChangeIndex: Event<IndexChange> = this.indexChanged.addListener;
  readonly onDidChangeEnvironment: Event<void> = this.environmentChanged.addListener;

  /** The command line's limits (SIMONE_MAX_YAML_SIZE, SIMONE_MAX_ENV_SIZE); the defaults when those are not sizes. */
  private readonly limits: TextLimits;

  constructor(private readonly processEnv: NodeJS.ProcessEnv = process.env) {
    const fromEnvironment = textLimitsFromEnvironment(processEnv);
    this.limits = fromEnvironment.ok ? fromEnvironment.limits : DEFAULT_TEXT_LIMITS;
    this.environment = workspaceEnvironment([], processEnv);
  }

  get env(): EnvironmentProvider {
    return this.environment;
  }

  workspaceFolders(): readonly string[] {
    return this.folders;
  }

  /**
   * Reads every integration file below the folders, letting the event loop answer
   * what waits every `INDEX_SLICE_MS` (a huge folder holds thousands of files).
   * Returns the files read; their names are not announced one by one (that would
   * be quadratic): whoever adds folders validates every known file afterwards.
   */
  async addFolders(paths: string[], findFiles: FindIntegrationFiles = (folder) => findIntegrationFiles(folder).files): Promise<string[]> {
    const added = paths.filter((path) => !this.folders.includes(path));
    this.folders = [...this.folders, ...added];
    this.reloadEnvironment();
    const uris: string[] = [];
    let sliceStart = performance.now();
    for (const folder of added) {
      for (const path of await findFiles(folder)) {
        // Removed while it was being read.
        if (!this.folders.includes(folder)) break;
        const uri = this.readFromDisk(path, false);
        if (uri) uris.push(uri);
        if (performance.now() - sliceStart >= INDEX_SLICE_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          sliceStart = performance.now();
        }
      }
    }
    return uris;
  }

  /** Forgets a folder's files that are not open; returns their URIs. */
  removeFolders(paths: string[]): string[] {
    this.folders = this.folders.filter((folder) => !paths.includes(folder));
    const removed = [...this.diskTexts.keys()].filter((uri) => !this.isInWorkspace(uri));
    for (const uri of removed) this.forgetDiskFile(uri);
    this.reloadEnvironment();
    return removed;
  }

  isOpen(uri: string): boolean {
    return this.openDocuments.has(canonicalUri(uri));
  }

  openUris(): string[] {
    return [...this.openDocuments.keys()];
  }

  /** Every file the server validates: the open documents and the integration files on disk. */
  knownUris(): string[] {
    return [...new Set([...this.openDocuments.keys(), ...this.diskTexts.keys()])];
  }

  /** The editor's spelling of a URI, which diagnostics are published under. */
  clientUri(uri: string): string {
    return this.openDocuments.get(canonicalUri(uri))?.uri ?? uri;
  }

  version(uri: string): number | undefined {
    return this.openDocuments.get(canonicalUri(uri))?.version;
  }

  /** Which text of a file the store holds now: changes whenever the text does. */
  revision(uri: string): number | undefined {
    return this.revisions.get(canonicalUri(uri));
  }

  openDocumentList(): TextDocument[] {
    return [...this.openDocuments.values()];
  }

  secretNames(): readonly string[] {
    return this.secretNameList;
  }

  /** The editor opened a document: parsed and indexed now. Returns its canonical URI. */
  open(document: TextDocument): string {
    const uri = canonicalUri(document.uri);
    this.openDocuments.set(uri, document);
    this.diskTexts.delete(uri);
    this.parsedDisk.delete(uri);
    this.parsedOpen.delete(uri);
    this.parseOpen(uri, document);
    return uri;
  }

  /** Whether this version of an open document is parsed already. */
  isParsed(document: TextDocument): boolean {
    return this.parsedOpen.get(canonicalUri(document.uri))?.version === document.version;
  }

  /** The editor's text changed: parsed (one YAML document at a time) and re-indexed now, once per version. */
  changed(document: TextDocument): void {
    if (this.isParsed(document)) return;
    const uri = canonicalUri(document.uri);
    this.openDocuments.set(uri, document);
    this.parseOpen(uri, document);
  }

  /**
   * The editor closed a document. A workspace integration file that still exists
   * goes back to its disk text (and keeps diagnostics); anything else is
   * forgotten. Returns whether the file is still known.
   */
  close(documentUri: string): boolean {
    const uri = canonicalUri(documentUri);
    this.openDocuments.delete(uri);
    this.parsedOpen.delete(uri);
    const path = uriToPath(uri);
    if (path && this.isInWorkspace(uri) && isIntegrationFile(path) && this.readFromDisk(path)) return true;
    this.forget(uri);
    return false;
  }

  /** A watched file was created, changed or deleted on disk: what that was to the store. */
  diskChanged(path: string, deleted: boolean): 'environment' | 'changed' | 'deleted' | 'ignored' {
    if (this.isDotEnvFile(path)) {
      this.reloadEnvironment();
      return 'environment';
    }
    if (deleted) return this.diskFileDeleted(path) ? 'deleted' : 'ignored';
    return this.diskFileChanged(path) ? 'changed' : 'ignored';
  }

  /** A file was created or changed on disk; returns whether it is an indexed integration file. */
  private diskFileChanged(path: string): boolean {
    const uri = pathToUri(path);
    if (this.openDocuments.has(uri) || !isIntegrationFile(path) || !this.isInWorkspace(uri)) return false;
    return this.readFromDisk(path) !== undefined;
  }

  /** A file was deleted on disk; an open document keeps its editor text. Returns whether it was indexed. */
  private diskFileDeleted(path: string): boolean {
    const uri = pathToUri(path);
    if (this.openDocuments.has(uri) || !this.diskTexts.has(uri)) return false;
    this.forgetDiskFile(uri);
    return true;
  }

  private isDotEnvFile(path: string): boolean {
    return this.folders.some((folder) => dotEnvPaths(folder).includes(path));
  }

  reloadEnvironment(): void {
    this.environment = workspaceEnvironment(this.folders, this.processEnv, this.secretLayer, nodeFileSystem, this.limits);
    this.secretsStale = true;
    this.redactorCache = undefined;
    this.environmentChanged.emit();
  }

  /** The variables the editor keeps in its secret storage: defined first (CONFIG.md's order), their values unseen. */
  setSecretNames(names: readonly string[]): void {
    this.secretNameList = [...names];
    this.secretLayer = names.length ? [{ origin: "VS Code's secret storage", values: new Map(names.map((name) => [name, undefined])) }] : [];
    this.reloadEnvironment();
  }

  /** A parsed file, looked up: an open document at its current version, else a disk file read recently. */
  file(documentUri: string): ConfigFile | undefined {
    const uri = canonicalUri(documentUri);
    return this.parsedOpen.get(uri)?.file ?? this.parsedDisk.get(uri);
  }

  /** A parsed file, looked up, else its disk text parsed for the caller and not kept (requests never change the store). */
  parsedFile(documentUri: string): ConfigFile | undefined {
    const found = this.file(documentUri);
    if (found) return found;
    const uri = canonicalUri(documentUri);
    const read = this.diskTexts.get(uri);
    return read === undefined ? undefined : configFileOf(uri, read);
  }

  /** What the language features read. */
  context(): LanguageContext {
    return {
      index: this.index,
      file: (uri) => this.parsedFile(uri),
      env: this.environment,
      schema: this.schema,
      dotEnvUri: (uri) => this.dotEnvUri(uri),
      readText: (uri) => this.readText(uri),
      secretValues: () => this.redactor().values(),
    };
  }

  /**
   * Masks every value in a secret place of any known file, as the `.env` files and the process fill them
   * (values kept in the editor's secret storage never reach the server): what every answer passes through.
   */
  redactor(): Redactor {
    if (this.secretsStale) {
      this.secretsStale = false;
      for (const uri of [...this.secretsByUri.keys()]) {
        const file = this.parsedFile(uri);
        if (file) this.rememberSecrets(file);
      }
    }
    this.redactorCache ??= new Redactor([...this.secretsByUri.values()].flat());
    return this.redactorCache;
  }

  /** Files that define or refer to any of the names (a reference like `queue:orders` contains its name). */
  filesMentioning(names: readonly string[]): string[] {
    if (names.length === 0) return [];
    const mentions = (entry: { name: string }) => names.some((name) => entry.name.includes(name));
    const entries = [...this.index.definitions(), ...this.index.references()];
    return [...new Set(entries.filter(mentions).map((entry) => entry.uri))];
  }

  private dotEnvUri(documentUri: string): string | undefined {
    const path = uriToPath(canonicalUri(documentUri));
    if (!path) return undefined;
    const folder = this.folderOf(path) ?? folderOfFile(path);
    const [simoneEnv, rootEnv] = dotEnvPaths(folder);
    return pathToUri(typeAt(nodeFileSystem, simoneEnv) ? simoneEnv : rootEnv);
  }

  private readText(documentUri: string): string | undefined {
    const uri = canonicalUri(documentUri);
    const document = this.openDocuments.get(uri);
    if (document) return document.getText();
    const path = uriToPath(uri);
    try {
      const read = path ? readTextFile(nodeFileSystem, path, 'dotEnv', this.limits) : undefined;
      return read && 'text' in read ? read.text : undefined;
    } catch {
      return undefined;
    }
  }

  private folderOf(path: string): string | undefined {
    return this.folders.filter((folder) => isInside(folder, path)).sort((a, b) => b.length - a.length)[0];
  }

  private isInWorkspace(uri: string): boolean {
    const path = uriToPath(uri);
    return path !== undefined && this.folderOf(path) !== undefined;
  }

  /** Reads, parses and indexes one file from disk; the parse is dropped afterwards unless recently used. */
  private readFromDisk(path: string, announce = true): string | undefined {
    let read: TextFileRead;
    try {
      read = readTextFile(nodeFileSystem, path, 'yaml', this.limits);
    } catch {
      return undefined;
    }
    const uri = pathToUri(path);
    this.diskTexts.set(uri, read);
    this.textChanged(uri);
    // An open document's names come from the editor's text, not from disk.
    if (this.openDocuments.has(uri)) return uri;
    const file = configFileOf(uri, read);
    this.parsedDisk.delete(uri);
    this.rememberParsedDiskFile(file);
    this.reindex(file, announce);
    return uri;
  }

  private rememberSecrets(file: ConfigFile): void {
    this.secretsByUri.set(file.uri, file.documents.flatMap((document) => collectDocumentSecrets(document, this.environment)));
    this.redactorCache = undefined;
  }

  private rememberParsedDiskFile(file: ConfigFile): void {
    this.parsedDisk.set(file.uri, file);
    if (this.parsedDisk.size > PARSED_DISK_FILES) this.parsedDisk.delete(this.parsedDisk.keys().next().value as string);
  }

  private forgetDiskFile(uri: string): void {
    this.diskTexts.delete(uri);
    this.parsedDisk.delete(uri);
    this.forget(uri);
  }

  private parseOpen(uri: string, document: TextDocument): void {
    // An open document is edited one YAML document at a time: re-parse only what changed.
    const file = editorConfigFile(uri, document.getText(), this.limits, { incremental: true, previous: this.parsedOpen.get(uri)?.file });
    this.parsedOpen.set(uri, { version: document.version, file });
    this.textChanged(uri);
    this.reindex(file);
  }

  private textChanged(uri: string): void {
    this.revisions.set(uri, this.nextRevision++);
  }

  private forget(uri: string): void {
    this.revisions.delete(uri);
    const before = this.definedNames.get(uri) ?? new Set<string>();
    this.index.remove(uri);
    this.definedNames.delete(uri);
    this.secretsByUri.delete(uri);
    this.redactorCache = undefined;
    if (before.size) this.indexChanged.emit({ uri, changedNames: [...new Set([...before].map(nameOfKey))] });
  }

  private reindex(file: ConfigFile, announce = true): void {
    const before = this.definedNames.get(file.uri) ?? new Set<string>();
    this.index.update(file);
    this.rememberSecrets(file);
    const after = new Set((this.index.fileEntries(file.uri)?.definitions ?? []).map((entry) => `${entry.kind}\u0000${entry.name}`));
    this.definedNames.set(file.uri, after);
    if (!announce) return;
    const changed = [...before].filter((key) => !after.has(key)).concat([...after].filter((key) => !before.has(key)));
    if (changed.length) this.indexChanged.emit({ uri: file.uri, changedNames: [...new Set(changed.map(nameOfKey))] });
  }
}

function nameOfKey(key: string): string {
  return key.slice(key.indexOf('\u0000') + 1);
}

function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
