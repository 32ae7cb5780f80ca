import type { ProjectProblem } from './entities';

/** What reading one Markdown file gave: its front matter and text, or the problem that left it out. */
export type FrontMatterRead = { data: Record<string, unknown>; source: string } | { problem: ProjectProblem };

/**
 * The front matter of each project file, kept while the file's size and modification time stay the same: a
 * long-lived reader (the editor, `watch`) re-reads and re-parses only the files that changed. A file whose stat
 * gives no modification time (an in-memory file system) is always read. Files not seen in the last read are
 * forgotten, so the cache holds at most one project.
 */
export class FrontMatterCache {
  private entries = new Map<string, { stamp: string; read: FrontMatterRead }>();
  private seen = new Map<string, { stamp: string; read: FrontMatterRead }>();

  get(file: string, stamp: string): FrontMatterRead | undefined {
    const entry = this.entries.get(file);
    if (entry?.stamp !== stamp) return undefined;
    this.seen.set(file, entry);
    return entry.read;
  }

  set(file: string, stamp: string, read: FrontMatterRead): void {
    this.seen.set(file, { stamp, read });
  }

  /** Ends a read: what it did not see is dropped. */
  sweep(): void {
    this.entries = this.seen;
    this.seen = new Map();
  }
}
