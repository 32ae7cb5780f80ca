import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { notUtf8Text } from './textEncoding';

export type FileType = 'file' | 'folder' | 'other';

export interface FileStat {
  type: FileType;
  size: number;
  /** When the content last changed, where the file system knows it (what lets a reader skip unchanged files). */
  mtimeMs?: number;
}

export interface DirectoryEntry {
  name: string;
  /** A symlink is reported as such: `stat` it to follow it. */
  type: FileType | 'symlink';
}

/** A regular file's content, or why it was not read (it is not parsed, and one diagnostic says why). */
export type TextRead = { kind: 'text'; text: string } | { kind: 'too-large'; size: number } | { kind: 'not-text'; message: string };

export type FileSystemErrorReason = 'missing' | 'denied' | 'loop' | 'not-a-file' | 'not-a-folder' | 'other';

/** A path that could not be read; the message is the reason a user reads after the path ("symlink loop"). */
export class FileSystemError extends Error {
  constructor(
    readonly path: string,
    readonly reason: FileSystemErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The only way core reads files (Workspace loading, `.env` files, integration file discovery, the Simone project
 * reader), so the editor and tests can hand in their own. Every method throws a FileSystemError when the path
 * cannot be read.
 */
export interface WorkspaceFileSystem {
  /** What is at a path, symlinks followed. */
  stat(path: string): FileStat;
  /** A regular file's text, read only within `maxBytes` and when it is UTF-8; never blocks on a FIFO or a device. */
  readText(path: string, maxBytes: number): TextRead;
  readDirectory(path: string): DirectoryEntry[];
  realPath(path: string): string;
}

/** What is at a path, or undefined when nothing readable is. */
export function typeAt(fileSystem: WorkspaceFileSystem, path: string): FileType | undefined {
  try {
    return fileSystem.stat(path).type;
  } catch {
    return undefined;
  }
}

const REASONS: Record<string, [FileSystemErrorReason, string]> = {
  ENOENT: ['missing', 'no such file or folder'],
  EACCES: ['denied', 'permission denied'],
  EPERM: ['denied', 'permission denied'],
  ELOOP: ['loop', 'symlink loop'],
  ENOTDIR: ['not-a-folder', 'not a folder'],
};

function fromNodeError(path: string, error: unknown): FileSystemError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const [reason, message] = REASONS[code] ?? ['other', (error as Error).message];
  return new FileSystemError(path, reason, message);
}

function typeOf(stats: Stats): FileType {
  return stats.isFile() ? 'file' : stats.isDirectory() ? 'folder' : 'other';
}

function notARegularFile(path: string, stats: Stats): FileSystemError {
  const what = stats.isDirectory() ? 'a folder' : stats.isFIFO() ? 'a FIFO' : stats.isSocket() ? 'a socket' : stats.isCharacterDevice() || stats.isBlockDevice() ? 'a device' : 'not a file';
  return new FileSystemError(path, 'not-a-file', `not a regular file (${what})`);
}

function attempt<T>(path: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw error instanceof FileSystemError ? error : fromNodeError(path, error);
  }
}

const CHUNK_BYTES = 64 * 1024;

/** Reads at most `maxBytes + 1` bytes: a file that grows past its limit while it is read is still refused. */
function readBounded(fd: number, maxBytes: number): Buffer | undefined {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, maxBytes + 1 - total));
    const read = readSync(fd, chunk, 0, chunk.length, null);
    if (read === 0) return Buffer.concat(chunks, total);
    chunks.push(chunk.subarray(0, read));
    total += read;
    if (total > maxBytes) return undefined;
  }
}

export const nodeFileSystem: WorkspaceFileSystem = {
  stat(path) {
    const stats = attempt(path, () => statSync(path));
    return { type: typeOf(stats), size: stats.size, mtimeMs: stats.mtimeMs };
  },

  readText(path, maxBytes) {
    return attempt(path, () => {
      // Checked before opening (opening a device may do something), and again on what was opened (it may have been swapped).
      const seen = statSync(path);
      if (!seen.isFile()) throw notARegularFile(path, seen);
      if (seen.size > maxBytes) return { kind: 'too-large', size: seen.size };
      const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
      try {
        const opened = fstatSync(fd);
        if (!opened.isFile()) throw notARegularFile(path, opened);
        const bytes = readBounded(fd, maxBytes);
        if (!bytes) return { kind: 'too-large', size: Math.max(fstatSync(fd).size, maxBytes + 1) };
        const problem = notUtf8Text(bytes);
        return problem ? { kind: 'not-text', message: problem } : { kind: 'text', text: new TextDecoder().decode(bytes) };
      } finally {
        closeSync(fd);
      }
    });
  },

  readDirectory(path) {
    return attempt(path, () =>
      readdirSync(path, { withFileTypes: true }).map((entry) => ({
        name: entry.name,
        type: entry.isSymbolicLink() ? 'symlink' : entry.isFile() ? 'file' : entry.isDirectory() ? 'folder' : 'other',
      })),
    );
  },

  realPath: (path) => attempt(path, () => realpathSync(path)),
};
