import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { buildModel, type BuiltDocument } from './buildModel';
import { parseConfigFile, type ConfigFile } from './configFile';
import { workspaceEnvironment, type EnvironmentProvider } from './env';
import { findIntegrationFiles } from './integrationFiles';
import type { ApiGateway, Integration, Microservices } from './model';

export class WorkspaceLoadError extends Error {}

/** The folder a lone file belongs to: the nearest one above it holding `.simone`, else the current directory. */
export function folderOfFile(file: string, cwd = process.cwd()): string {
  for (let dir = dirname(resolve(file)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.simone')) && statSync(join(dir, '.simone')).isDirectory()) return dir;
    if (dirname(dir) === dir) return resolve(cwd);
  }
}

export interface LoadOptions {
  /** Files or folders, as given on the command line (default `.`). */
  paths?: string[];
  /** Names the workspace folder outright. */
  workspace?: string;
  processEnv?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Integration files read from disk, with the environment of their workspace folders: what the CLI works on. */
export class Workspace {
  private builtCache?: Array<BuiltDocument & { file: ConfigFile }>;

  constructor(
    readonly folders: string[],
    readonly files: ConfigFile[],
    readonly env: EnvironmentProvider,
    /** What the files' paths are relative to. */
    private readonly cwd: string = process.cwd(),
  ) {}

  static load(options: LoadOptions = {}): Workspace {
    const cwd = options.cwd ?? process.cwd();
    const given = options.paths?.length ? options.paths : [options.workspace ?? '.'];
    const folders = new Set<string>(options.workspace ? [resolve(cwd, options.workspace)] : []);
    const files: ConfigFile[] = [];
    for (const path of given) {
      const absolute = resolve(cwd, path);
      let stat;
      try {
        stat = statSync(absolute);
      } catch {
        throw new WorkspaceLoadError(`cannot read ${path}: no such file or folder`);
      }
      const found = stat.isDirectory() ? findIntegrationFiles(absolute).map((file) => join(path, file.slice(absolute.length + 1))) : [path];
      if (!options.workspace) folders.add(stat.isDirectory() ? absolute : folderOfFile(absolute, cwd));
      for (const file of found) {
        try {
          files.push(parseConfigFile(file, readFileSync(resolve(cwd, file), 'utf8')));
        } catch (error) {
          throw new WorkspaceLoadError(`cannot read ${file}: ${(error as Error).message}`);
        }
      }
    }
    return new Workspace([...folders], files, workspaceEnvironment([...folders], options.processEnv), cwd);
  }

  /** The workspace folder a file belongs to (the longest folder that contains it). */
  folderOf(uri: string): string {
    const absolute = resolve(this.cwd, uri);
    const containing = this.folders.filter((folder) => !relative(folder, absolute).startsWith('..') && !isAbsolute(relative(folder, absolute)));
    return containing.sort((a, b) => b.length - a.length)[0] ?? this.folders[0] ?? this.cwd;
  }

  /** Every document's typed model, built once. */
  built(): Array<BuiltDocument & { file: ConfigFile }> {
    this.builtCache ??= this.files.flatMap((file) =>
      file.documents.flatMap((document) => {
        const model = buildModel(document, { uri: file.uri, env: this.env, folder: this.folderOf(file.uri) });
        return model ? [{ ...model, file }] : [];
      }),
    );
    return this.builtCache;
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

  gateways(): ApiGateway[] {
    return this.built().flatMap((doc) => (doc.kind === 'api_gateway' ? [doc.gateway] : []));
  }
}
