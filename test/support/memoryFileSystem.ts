import { dirname } from 'node:path';
import { FileSystemError, type DirectoryEntry, type WorkspaceFileSystem } from '../../src/core/fileSystem';
import { notUtf8Text } from '../../src/core/textEncoding';

/** A WorkspaceFileSystem over texts by absolute path (folders are implied by the paths), and a log of the reads. */
export function memoryFileSystem(files: Record<string, string>): WorkspaceFileSystem & { reads: string[] } {
  const folders = new Set(Object.keys(files).flatMap((path) => {
    const above: string[] = [];
    for (let dir = dirname(path); !above.includes(dir); dir = dirname(dir)) above.push(dir);
    return above;
  }));
  const missing = (path: string) => new FileSystemError(path, 'missing', 'no such file or folder');
  const reads: string[] = [];
  return {
    reads,
    stat(path) {
      if (path in files) return { type: 'file', size: Buffer.byteLength(files[path]) };
      if (folders.has(path)) return { type: 'folder', size: 0 };
      throw missing(path);
    },
    readText(path, maxBytes) {
      if (folders.has(path)) throw new FileSystemError(path, 'not-a-file', 'not a regular file (a folder)');
      if (!(path in files)) throw missing(path);
      reads.push(path);
      const size = Buffer.byteLength(files[path]);
      if (size > maxBytes) return { kind: 'too-large', size };
      const problem = notUtf8Text(files[path]);
      return problem ? { kind: 'not-text', message: problem } : { kind: 'text', text: files[path] };
    },
    readDirectory(path) {
      if (!folders.has(path)) throw missing(path);
      const entries: DirectoryEntry[] = [];
      for (const file of Object.keys(files)) if (dirname(file) === path) entries.push({ name: file.slice(path.length + 1), type: 'file' });
      for (const folder of folders) if (folder !== path && dirname(folder) === path) entries.push({ name: folder.slice(path.length + 1), type: 'folder' });
      return entries;
    },
    realPath(path) {
      if (!(path in files) && !folders.has(path)) throw missing(path);
      return path;
    },
  };
}
