import { join, relative, sep } from 'node:path';
import { FileSystemError, nodeFileSystem, type WorkspaceFileSystem } from './fileSystem';

/** `.simone/integrations/*.yaml|yml` and `.simone/config/integrations.yaml|yml`, anywhere below a folder. */
const INTEGRATION_FILE = /(^|\/)\.simone\/(integrations\/[^/]+|config\/integrations)\.ya?ml$/;

export function isIntegrationFile(path: string): boolean {
  return INTEGRATION_FILE.test(path.split(sep).join('/'));
}

const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);
export const IGNORE_FILE = '.simoneignore';
/** A `.simoneignore` is a short list of paths; a bigger one is not read. */
const IGNORE_FILE_BYTES = 1024 * 1024;

/**
 * Paths a folder's `.simoneignore` asks searches to skip: one path per line,
 * relative to that folder, `#` comments. (The demo workspace keeps its broken
 * corpus out of its own search this way.)
 */
function ignoredBelow(dir: string, fileSystem: WorkspaceFileSystem): string[] {
  const path = join(dir, IGNORE_FILE);
  const read = fileSystem.readText(path, IGNORE_FILE_BYTES);
  if (read.kind === 'too-large') throw new FileSystemError(path, 'other', `over ${IGNORE_FILE_BYTES / 1024 / 1024} MB, not read`);
  if (read.kind === 'not-text') throw new FileSystemError(path, 'other', read.message);
  return read.text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*/, '').trim().replace(/^\.?\//, '').replace(/\/$/, ''))
    .filter(Boolean)
    .map((ignored) => join(dir, ignored));
}

export interface IntegrationFileSearch {
  /** Sorted paths below the root (through symlinks as they were followed); a file reached twice is listed once. */
  files: string[];
  /** Folders and entries that could not be read: a search that missed them must not pass for a clean one. */
  unreadable: FileSystemError[];
}

function asFileSystemError(path: string, error: unknown): FileSystemError {
  return error instanceof FileSystemError ? error : new FileSystemError(path, 'other', (error as Error).message);
}

/**
 * Every integration file below `root`, skipping node_modules, .git and what `.simoneignore` files name.
 * Symlinked files and folders are followed; a folder is searched once however many links reach it (so a link
 * back up the tree ends there), and a symlink that loops on itself is reported as unreadable ("symlink loop").
 * A non-regular file with an integration file's name is listed: reading it says what it is.
 */
export function findIntegrationFiles(root: string, fileSystem: WorkspaceFileSystem = nodeFileSystem): IntegrationFileSearch {
  const files: string[] = [];
  const unreadable: FileSystemError[] = [];
  const searchedFolders = new Set<string>();
  const foundFiles = new Set<string>();
  const attempt = <T>(path: string, run: () => T): T | undefined => {
    try {
      return run();
    } catch (error) {
      unreadable.push(asFileSystemError(path, error));
      return undefined;
    }
  };

  const walk = (dir: string, ignored: string[]): void => {
    const real = attempt(dir, () => fileSystem.realPath(dir));
    if (real === undefined || searchedFolders.has(real)) return;
    searchedFolders.add(real);
    const entries = attempt(dir, () => fileSystem.readDirectory(dir));
    if (!entries) return;
    const below = entries.some((entry) => entry.name === IGNORE_FILE) ? attempt(dir, () => ignoredBelow(dir, fileSystem)) : [];
    const skip = below?.length ? [...ignored, ...below] : ignored;
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(dir, entry.name);
      if (skip.some((ignoredPath) => path === ignoredPath || !relative(ignoredPath, path).startsWith('..'))) continue;
      let type = entry.type;
      if (type === 'symlink') {
        try {
          type = fileSystem.stat(path).type;
        } catch (error) {
          // A dangling link could only matter as an integration file; anything else that fails (a loop) might have been a folder.
          const missing = error instanceof FileSystemError && error.reason === 'missing';
          if (!missing) unreadable.push(asFileSystemError(path, error));
          else if (isIntegrationFile(path)) unreadable.push(new FileSystemError(path, 'missing', 'broken symlink (its target does not exist)'));
          continue;
        }
      }
      if (type === 'folder') {
        if (!SKIPPED_FOLDERS.has(entry.name)) walk(path, skip);
      } else if (isIntegrationFile(path)) {
        const file = type === 'file' ? attempt(path, () => fileSystem.realPath(path)) : path;
        if (file !== undefined && !foundFiles.has(file)) {
          foundFiles.add(file);
          files.push(path);
        }
      }
    }
  };
  walk(root, []);
  return { files: files.sort(), unreadable };
}
