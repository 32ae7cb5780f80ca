import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { buildModel, type BuiltDocument } from './buildModel';
import type { ConfigFile } from './configFile';
import { layeredEnvironment, readFolderDotEnvs, type DotEnvRead, type EnvironmentProvider } from './env';
import { FileSystemError, nodeFileSystem, typeAt, type WorkspaceFileSystem } from './fileSystem';
import { findIntegrationFiles } from './integrationFiles';
import type { ApiGateway, Integration, Microservices, ServiceSettings } from './model';
import { readConfigFile } from './readTextFile';
import { Redactor } from './redactor';
import { collectDocumentSecrets } from './secrets';
import { textLimitsFromEnvironment, type TextLimits } from './textLimits';
import { uriToPath } from './uris';
import { WorkspaceIndex } from './workspaceIndex';

function describeUnreadable(unreadable: readonly FileSystemError[], show: (path: string) => string): string {
  const more = unreadable.length > 1 ? ` (and ${unreadable.length - 1} more)` : '';
  return `cannot read ${show(unreadable[0].path)}: ${unreadable[0].message}${more}`;
}

/** The workspace could not be read as asked: the command line stops with exit 2. */
export class WorkspaceLoadError extends Error {
  /** The paths that could not be read, the first one first. */
  readonly unreadable: readonly FileSystemError[];

  constructor(reason: string | readonly FileSystemError[]) {
    super(typeof reason === 'string' ? reason : describeUnreadable(reason, (path) => path));
    this.unreadable = typeof reason === 'string' ? [] : reason;
  }

  /** The message with each path as `show` prints it. */
  describe(show: (path: string) => string): string {
    return this.unreadable.length ? describeUnreadable(this.unreadable, show) : this.message;
  }
}

/** The folder a lone file belongs to: the nearest one above it holding `.simone`, else the current directory. */
export function folderOfFile(file: string, cwd = process.cwd(), fileSystem: WorkspaceFileSystem = nodeFileSystem): string {
  for (let dir = dirname(resolve(file)); ; dir = dirname(dir)) {
    if (typeAt(fileSystem, join(dir, '.simone')) === 'folder') return dir;
    if (dirname(dir) === dir) return resolve(cwd);
  }
}

/** `path` is `folder` or below it. */
export function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return !rel.startsWith('..') && !isAbsolute(rel);
}

/** One file's typed models, kept while the file and what they were built with stay the same (across snapshots). */
const builtByFile = new WeakMap<ConfigFile, { env: EnvironmentProvider; folder: string; built: Array<BuiltDocument & { file: ConfigFile }> }>();

export interface WorkspaceParts {
  version?: number;
  /** Absolute paths. */
  folders: readonly string[];
  /** Each `uri` a `file://` URI (or the editor's URI of an unsaved document). */
  files: readonly ConfigFile[];
  env: EnvironmentProvider;
  /** Paths there but not readable (folders, integration files, `.env` files): the command line exits 2 on any. */
  unreadable?: readonly FileSystemError[];
  /** The `.env` files read; those over their limit or not UTF-8 carry their diagnostic. */
  dotEnv?: readonly DotEnvRead[];
}

export interface LoadOptions {
  /** Files or folders, as given on the command line (default `.`). */
  paths?: string[];
  /** Names the workspace folder outright. */
  workspace?: string;
  processEnv?: NodeJS.ProcessEnv;
  cwd?: string;
  fileSystem?: WorkspaceFileSystem;
  /** Default: the command line's (DEFAULT_TEXT_LIMITS, or what SIMONE_MAX_YAML_SIZE / SIMONE_MAX_ENV_SIZE say). */
  limits?: TextLimits;
}

/**
 * One immutable snapshot of a workspace: integration files (from disk, or an editor's unsaved text) with the
 * environment of their workspace folders. The CLI loads one from disk; the editor's LiveWorkspace makes a new
 * one, with the next version, on every change.
 */
export class Workspace {
  readonly version: number;
  readonly folders: readonly string[];
  readonly files: readonly ConfigFile[];
  readonly env: EnvironmentProvider;
  readonly unreadable: readonly FileSystemError[];
  readonly dotEnv: readonly DotEnvRead[];
  private indexCache?: WorkspaceIndex;
  private builtCache?: Array<BuiltDocument & { file: ConfigFile }>;
  private redactorCache?: Redactor;

  constructor(parts: WorkspaceParts) {
    this.version = parts.version ?? 1;
    this.folders = parts.folders;
    this.files = parts.files;
    this.env = parts.env;
    this.unreadable = parts.unreadable ?? [];
    this.dotEnv = parts.dotEnv ?? [];
  }

  /** Files and folders from the command line; throws a WorkspaceLoadError when any path found cannot be read. */
  static load(options: LoadOptions = {}): Workspace {
    const cwd = options.cwd ?? process.cwd();
    const fileSystem = options.fileSystem ?? nodeFileSystem;
    const processEnv = options.processEnv ?? process.env;
    const fromEnvironment = options.limits ? { ok: true as const, limits: options.limits } : textLimitsFromEnvironment(processEnv);
    if (!fromEnvironment.ok) throw new WorkspaceLoadError(fromEnvironment.message);
    const { limits } = fromEnvironment;
    const given = options.paths?.length ? options.paths : [options.workspace ?? '.'];
    const folders = new Set<string>(options.workspace ? [resolve(cwd, options.workspace)] : []);
    const paths = new Set<string>();
    const unreadable: FileSystemError[] = [];
    for (const path of given) {
      const absolute = resolve(cwd, path);
      let type;
      try {
        type = fileSystem.stat(absolute).type;
      } catch (error) {
        if (error instanceof FileSystemError) throw new WorkspaceLoadError([error]);
        throw error;
      }
      if (type === 'folder') {
        const search = findIntegrationFiles(absolute, fileSystem);
        search.files.forEach((file) => paths.add(file));
        unreadable.push(...search.unreadable);
      } else {
        paths.add(absolute);
      }
      if (!options.workspace) folders.add(type === 'folder' ? absolute : folderOfFile(absolute, cwd, fileSystem));
    }
    const files: ConfigFile[] = [];
    for (const path of paths) {
      try {
        files.push(readConfigFile(fileSystem, path, limits));
      } catch (error) {
        if (!(error instanceof FileSystemError)) throw error;
        unreadable.push(error);
      }
    }
    const dotEnv = readFolderDotEnvs([...folders], fileSystem, limits);
    unreadable.push(...dotEnv.flatMap((read) => read.unreadable ?? []));
    if (unreadable.length) throw new WorkspaceLoadError(unreadable);
    return new Workspace({ folders: [...folders], files, env: layeredEnvironment(processEnv, dotEnv), dotEnv });
  }

  /** Names with ranges across the files: where tree nodes open, what cross-file rules check. */
  get index(): WorkspaceIndex {
    this.indexCache ??= WorkspaceIndex.of(this.files);
    return this.indexCache;
  }

  /** The workspace folder a file (a `file://` URI or a path) belongs to: the longest folder that contains it. */
  folderOf(uri: string): string {
    const path = uri.includes(':') && !isAbsolute(uri) ? uriToPath(uri) : resolve(uri);
    const containing = path === undefined ? [] : this.folders.filter((folder) => isInside(folder, path));
    return containing.sort((a, b) => b.length - a.length)[0] ?? this.folders[0] ?? (path ? dirname(path) : resolve('.'));
  }

  /** Every document's typed model, built once per file and environment. */
  built(): Array<BuiltDocument & { file: ConfigFile }> {
    this.builtCache ??= this.files.flatMap((file) => {
      const folder = this.folderOf(file.uri);
      const cached = builtByFile.get(file);
      if (cached && cached.env === this.env && cached.folder === folder) return cached.built;
      const built = file.documents.flatMap((document) => {
        const model = buildModel(document, { uri: file.uri, env: this.env, folder });
        return model ? [{ ...model, file }] : [];
      });
      builtByFile.set(file, { env: this.env, folder, built });
      return built;
    });
    return this.builtCache;
  }

  /** Every value in a secret place of any document (the union of the models' `secrets`): what every sink masks. */
  secrets(): string[] {
    return [...new Set(this.files.flatMap((file) => file.documents.flatMap((document) => collectDocumentSecrets(document, this.env))))];
  }

  /** A redactor over `secrets()`, made once per snapshot. */
  redactor(): Redactor {
    this.redactorCache ??= new Redactor(this.secrets());
    return this.redactorCache;
  }

  integrations(): Integration[] {
    return this.built().flatMap((doc) => (doc.kind === 'integration' ? [doc.integration] : []));
  }

  integration(name: string): Integration | undefined {
    return this.integrations().find((candidate) => candidate.name === name);
  }

  microservices(): Microservices[] {
    return this.built().flatMap((doc) => (doc.kind === 'microservices' ? [doc.microservices] : []));
  }

  /** A microservice by name, with the `microservices` document it belongs to (its discovery and communication). */
  service(name: string): { microservices: Microservices; service: ServiceSettings } | undefined {
    for (const microservices of this.microservices()) {
      const service = microservices.services.find((candidate) => candidate.name === name);
      if (service) return { microservices, service };
    }
    return undefined;
  }

  gateways(): ApiGateway[] {
    return this.built().flatMap((doc) => (doc.kind === 'api_gateway' ? [doc.gateway] : []));
  }
}
