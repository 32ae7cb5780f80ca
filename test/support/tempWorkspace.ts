import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToUri } from '../../src/core/uris';

/** A workspace folder in a temp directory, with files given by relative path; removed by `dispose`. */
export class TempWorkspace {
  readonly root = mkdtempSync(join(tmpdir(), 'simone-ws-'));

  constructor(files: Record<string, string> = {}) {
    for (const [path, text] of Object.entries(files)) this.write(path, text);
  }

  path(relativePath: string): string {
    return join(this.root, relativePath);
  }

  uri(relativePath: string): string {
    return pathToUri(this.path(relativePath));
  }

  write(relativePath: string, text: string): string {
    mkdirSync(dirname(this.path(relativePath)), { recursive: true });
    writeFileSync(this.path(relativePath), text);
    return this.uri(relativePath);
  }

  remove(relativePath: string): string {
    rmSync(this.path(relativePath), { force: true });
    return this.uri(relativePath);
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
