import { readdirSync, readFileSync } from 'node:fs';

/** The few file operations the project reader needs, so tests (and the editor) can hand in their own. */
export interface ProjectFileSystem {
  /** Entries of a folder; an empty list when it does not exist. */
  list(folder: string): Array<{ name: string; isFolder: boolean }>;
  read(file: string): string;
}

export const nodeProjectFileSystem: ProjectFileSystem = {
  list(folder) {
    try {
      return readdirSync(folder, { withFileTypes: true }).map((entry) => ({ name: entry.name, isFolder: entry.isDirectory() }));
    } catch {
      return [];
    }
  },
  read: (file) => readFileSync(file, 'utf8'),
};
