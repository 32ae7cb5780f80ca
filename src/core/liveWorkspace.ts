import { resolve } from 'node:path';
import { EventEmitter, type Event } from 'cockatiel';
import type { ConfigFile } from './configFile';
import { dotEnvPaths, layeredEnvironment, readDotEnv, type DotEnvRead, type EnvironmentLayer, type LayeredEnvironment } from './env';
import { FileSystemError, nodeFileSystem, type WorkspaceFileSystem } from './fileSystem';
import { findIntegrationFiles } from './integrationFiles';
import { editorConfigFile, readConfigFile } from './readTextFile';
import { DEFAULT_TEXT_LIMITS, type TextLimits } from './textLimits';
import { canonicalUri, pathToUri } from './uris';
import { isInside, Workspace } from './workspace';

export interface LiveWorkspaceOptions {
  /** Absolute paths. */
  folders: readonly string[];
  fileSystem?: WorkspaceFileSystem;
  processEnv?: NodeJS.ProcessEnv;
  limits?: TextLimits;
  /** Variables defined before the process and `.env` files (the editor's secret storage). */
  environmentLayers?: readonly EnvironmentLayer[];
}

/**
 * The editor's workspace, changing: open editors' texts over the integration files on disk, with the folders'
 * `.env` files and extra environment layers. Every change makes a new immutable Workspace snapshot with the next
 * version and fires `onDidChange` (synchronously: debouncing is the caller's). What did not change is reused: a
 * file on disk is read again only when reported changed, an open text is parsed once per text, and a file's
 * models and index entries are built again only when it or the environment changed.
 */
export class LiveWorkspace {
  private readonly fileSystem: WorkspaceFileSystem;
  private readonly processEnv: NodeJS.ProcessEnv;
  private readonly limits: TextLimits;
  private folders: string[];
  private layers: readonly EnvironmentLayer[];
  /** What each folder's search found. */
  private readonly searches = new Map<string, { files: Set<string>; unreadable: FileSystemError[] }>();
  /** Integration files on disk by path, parsed, or why they could not be read. */
  private readonly diskFiles = new Map<string, ConfigFile | FileSystemError>();
  private readonly dotEnv = new Map<string, DotEnvRead>();
  /** Editors' texts by canonical URI. */
  private readonly openTexts = new Map<string, { text: string; version: number; file: ConfigFile }>();
  private env!: LayeredEnvironment;
  private current: Workspace;
  private disposed = false;
  private readonly changed = new EventEmitter<Workspace>();

  /** A new snapshot (already current when listeners hear of it). */
  readonly onDidChange: Event<Workspace> = this.changed.addListener;

  constructor(options: LiveWorkspaceOptions) {
    this.fileSystem = options.fileSystem ?? nodeFileSystem;
    this.processEnv = options.processEnv ?? process.env;
    this.limits = options.limits ?? DEFAULT_TEXT_LIMITS;
    this.layers = options.environmentLayers ?? [];
    this.folders = [...new Set(options.folders)];
    for (const folder of this.folders) this.search(folder, []);
    this.readDotEnvs();
    this.current = this.compose(1);
  }

  get snapshot(): Workspace {
    return this.current;
  }

  /** An editor's text for a file: it wins over the file on disk until closed. */
  setOpenText(uri: string, text: string, version: number): void {
    const key = canonicalUri(uri);
    const open = this.openTexts.get(key);
    if (open?.text === text && open.version === version) return;
    this.openTexts.set(key, { text, version, file: open?.text === text ? open.file : editorConfigFile(key, text, this.limits) });
    this.publish();
  }

  /** The editor closed a file: the file on disk (if any) counts again. */
  closeText(uri: string): void {
    if (this.openTexts.delete(canonicalUri(uri))) this.publish();
  }

  /**
   * Paths created, changed or deleted on disk: integration files, `.env` files, `.simoneignore` files or folders.
   * A known file is read again; anything else searches its workspace folder again (which also honours a changed
   * `.simoneignore`), reading only files that are new or below a path reported.
   */
  filesChanged(paths: readonly string[]): void {
    let environmentChanged = false;
    let filesChanged = false;
    const changedPlaces: string[] = [];
    for (const path of paths.map((given) => resolve(given))) {
      if (this.dotEnv.has(path)) {
        this.dotEnv.set(path, readDotEnv(path, this.fileSystem, this.limits));
        environmentChanged = true;
      } else if (this.diskFiles.has(path)) {
        const read = this.read(path);
        if (read instanceof FileSystemError && read.reason === 'missing') this.forget(path);
        else this.diskFiles.set(path, read);
        filesChanged = true;
      } else if (this.folders.some((folder) => isInside(folder, path) || isInside(path, folder))) {
        changedPlaces.push(path);
      }
    }
    for (const folder of this.folders) {
      const below = changedPlaces.filter((path) => isInside(folder, path) || isInside(path, folder));
      if (below.length) this.search(folder, below);
    }
    if (environmentChanged) this.combineEnvironment();
    if (environmentChanged || filesChanged || changedPlaces.length) this.publish();
  }

  setFolders(folders: readonly string[]): void {
    const next = [...new Set(folders)];
    if (next.length === this.folders.length && next.every((folder, index) => folder === this.folders[index])) return;
    for (const folder of this.folders.filter((folder) => !next.includes(folder))) this.searches.delete(folder);
    const added = next.filter((folder) => !this.folders.includes(folder));
    this.folders = next;
    for (const folder of added) this.search(folder, []);
    this.dropUnlisted();
    this.readDotEnvs();
    this.publish();
  }

  setEnvironmentLayers(layers: readonly EnvironmentLayer[]): void {
    this.layers = layers;
    this.combineEnvironment();
    this.publish();
  }

  /** No more snapshots or events. */
  dispose(): void {
    this.disposed = true;
  }

  private read(path: string): ConfigFile | FileSystemError {
    try {
      return readConfigFile(this.fileSystem, path, this.limits);
    } catch (error) {
      if (error instanceof FileSystemError) return error;
      throw error;
    }
  }

  /** Searches a folder; reads the files it finds that are new or below one of the paths reported changed. */
  private search(folder: string, changed: readonly string[]): void {
    const found = findIntegrationFiles(folder, this.fileSystem);
    this.searches.set(folder, { files: new Set(found.files), unreadable: found.unreadable });
    for (const path of found.files) {
      if (!this.diskFiles.has(path) || changed.some((place) => isInside(place, path))) this.diskFiles.set(path, this.read(path));
    }
    this.dropUnlisted();
  }

  private forget(path: string): void {
    this.diskFiles.delete(path);
    for (const search of this.searches.values()) search.files.delete(path);
  }

  /** Forgets files no folder's search lists any more. */
  private dropUnlisted(): void {
    for (const path of this.diskFiles.keys()) {
      if (![...this.searches.values()].some((search) => search.files.has(path))) this.diskFiles.delete(path);
    }
  }

  private readDotEnvs(): void {
    const paths = this.folders.flatMap(dotEnvPaths);
    for (const path of this.dotEnv.keys()) if (!paths.includes(path)) this.dotEnv.delete(path);
    for (const path of paths) if (!this.dotEnv.has(path)) this.dotEnv.set(path, readDotEnv(path, this.fileSystem, this.limits));
    this.combineEnvironment();
  }

  /** A new environment object only when its sources changed: unchanged, models built with it are reused. */
  private combineEnvironment(): void {
    this.env = layeredEnvironment(this.processEnv, this.dotEnvReads(), this.layers);
  }

  /** In the order of folders, each folder's `.simone/.env` before its `.env`. */
  private dotEnvReads(): DotEnvRead[] {
    return this.folders.flatMap(dotEnvPaths).flatMap((path) => this.dotEnv.get(path) ?? []);
  }

  private compose(version: number): Workspace {
    const searches = this.folders.flatMap((folder) => this.searches.get(folder) ?? []);
    const paths = [...new Set(searches.flatMap((search) => [...search.files]))].sort();
    const unreadable = searches.flatMap((search) => search.unreadable);
    const files: ConfigFile[] = [];
    const onDisk = new Set<string>();
    for (const path of paths) {
      const uri = pathToUri(path);
      onDisk.add(uri);
      const open = this.openTexts.get(uri);
      const read = this.diskFiles.get(path);
      if (open) files.push(open.file);
      else if (read instanceof FileSystemError) unreadable.push(read);
      else if (read) files.push(read);
    }
    for (const [uri, open] of this.openTexts) if (!onDisk.has(uri)) files.push(open.file);
    const dotEnv = this.dotEnvReads();
    unreadable.push(...dotEnv.flatMap((read) => read.unreadable ?? []));
    return new Workspace({ version, folders: [...this.folders], files, env: this.env, unreadable, dotEnv });
  }

  private publish(): void {
    if (this.disposed) return;
    this.current = this.compose(this.current.version + 1);
    this.changed.emit(this.current);
  }
}
