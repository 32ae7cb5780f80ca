import { join } from 'node:path';
import { FileSystemError, nodeFileSystem, typeAt, type WorkspaceFileSystem } from '../fileSystem';
import { readTextFile } from '../readTextFile';
import { DEFAULT_TEXT_LIMITS, type TextLimits } from '../textLimits';
import {
  MILESTONE_STATUSES, SPRINT_STATUSES, TASK_STATUSES,
  type Milestone, type ProjectProblem, type SimoneProject, type Sprint, type Task,
} from './entities';
import { parseFrontMatter } from './frontMatter';
import type { FrontMatterCache, FrontMatterRead } from './frontMatterCache';

const MILESTONE_FOLDER = /^M(X?)(\d+)_/;
const MILESTONE_META = /^MX?\d+_milestone_meta\.md$/;
const SPRINT_FOLDER = /^S(X?)(\d+)_/;
const SPRINT_META = /^SX?\d+_sprint_meta\.md$/;
const SPRINT_TASK = /^T(X?)(\d+)_(S\d+)_.*\.md$/;
const GENERAL_TASK = /^T(X?)(\d+)_.*\.md$/;

const text = (value: unknown): string | undefined => (value === undefined || value === null ? undefined : value instanceof Date ? value.toISOString() : String(value));

/**
 * Reads the `.simone/` folder given; a file or folder that cannot be read (or is over the YAML size limit, or not
 * UTF-8) becomes a located problem and is left out. Symlinked files and folders are followed. With a `cache`, files
 * whose size and modification time did not change since the last read with it are not read again.
 */
export function readSimoneProject(simoneFolder: string, fs: WorkspaceFileSystem = nodeFileSystem, limits: TextLimits = DEFAULT_TEXT_LIMITS, cache?: FrontMatterCache): SimoneProject {
  const problems: ProjectProblem[] = [];
  const milestones: Milestone[] = [];
  const sprints: Sprint[] = [];
  const tasks: Task[] = [];

  /** A folder's entries, none when it does not exist. */
  function list(folder: string): Array<{ name: string; isFolder: boolean }> {
    try {
      return fs.readDirectory(folder).map((entry) => ({ name: entry.name, isFolder: (entry.type === 'symlink' ? typeAt(fs, join(folder, entry.name)) : entry.type) === 'folder' }));
    } catch (error) {
      if (!(error instanceof FileSystemError)) throw error;
      if (error.reason !== 'missing') problems.push({ file: folder, line: 1, message: `cannot read: ${error.message}` });
      return [];
    }
  }

  /** Front matter of a file, or undefined after recording why not. */
  function frontMatterOf(file: string): { data: Record<string, unknown>; source: string } | undefined {
    const stamp = cache && stampOf(file);
    const read = (stamp !== undefined && cache?.get(file, stamp)) || readFrontMatter(file);
    if (stamp !== undefined) cache?.set(file, stamp, read);
    if ('problem' in read) {
      problems.push(read.problem);
      return undefined;
    }
    return read;
  }

  function stampOf(file: string): string | undefined {
    try {
      const { size, mtimeMs } = fs.stat(file);
      return mtimeMs === undefined ? undefined : `${size}:${mtimeMs}`;
    } catch {
      return undefined; // reading it says why
    }
  }

  function readFrontMatter(file: string): FrontMatterRead {
    let source: string;
    try {
      const read = readTextFile(fs, file, 'yaml', limits);
      if ('diagnostic' in read) return { problem: { file, line: 1, message: read.diagnostic.message } };
      source = read.text;
    } catch (error) {
      if (!(error instanceof FileSystemError)) throw error;
      return { problem: { file, line: 1, message: `cannot read: ${error.message}` } };
    }
    const parsed = parseFrontMatter(source);
    return parsed.ok ? { data: parsed.data, source } : { problem: { file, line: parsed.line, message: parsed.message } };
  }

  function checkStatus(file: string, source: string, status: string | undefined, allowed: readonly string[]): void {
    if (status === undefined || allowed.includes(status)) return;
    const index = source.search(/^status\s*:/m);
    const line = index < 0 ? 1 : source.slice(0, index).split('\n').length;
    problems.push({ file, line, message: `status "${status}" is not one of ${allowed.join(', ')}` });
  }

  const requirements = join(simoneFolder, '02_REQUIREMENTS');
  for (const entry of list(requirements)) {
    const match = MILESTONE_FOLDER.exec(entry.name);
    if (!entry.isFolder || !match) continue;
    const folder = join(requirements, entry.name);
    const meta = list(folder).find((file) => !file.isFolder && MILESTONE_META.test(file.name));
    if (!meta) {
      problems.push({ file: folder, line: 1, message: 'milestone folder without an M##_milestone_meta.md file' });
      continue;
    }
    const filePath = join(folder, meta.name);
    const read = frontMatterOf(filePath);
    if (!read) continue;
    const status = text(read.data.status);
    checkStatus(filePath, read.source, status, MILESTONE_STATUSES);
    milestones.push({
      kind: 'milestone', id: text(read.data.milestone_id) ?? `M${match[2]}`, filePath, folder, done: match[1] === 'X',
      title: text(read.data.title), status, lastUpdated: text(read.data.last_updated), frontMatter: read.data,
    });
  }

  const sprintsFolder = join(simoneFolder, '03_SPRINTS');
  for (const entry of list(sprintsFolder)) {
    const match = SPRINT_FOLDER.exec(entry.name);
    if (!entry.isFolder || !match) continue;
    const folder = join(sprintsFolder, entry.name);
    const files = list(folder).filter((file) => !file.isFolder);
    const fallbackSprintId = `S${match[2]}`;
    let sprintId = fallbackSprintId;
    const meta = files.find((file) => SPRINT_META.test(file.name));
    if (!meta) problems.push({ file: folder, line: 1, message: 'sprint folder without an S##_sprint_meta.md file' });
    const read = meta && frontMatterOf(join(folder, meta.name));
    if (meta && read) {
      const filePath = join(folder, meta.name);
      const status = text(read.data.status);
      checkStatus(filePath, read.source, status, SPRINT_STATUSES);
      sprintId = text(read.data.sprint_sequence_id) ?? fallbackSprintId;
      sprints.push({
        kind: 'sprint', id: sprintId, filePath, folder, done: match[1] === 'X', title: text(read.data.title), status,
        milestoneId: text(read.data.milestone_id), goal: text(read.data.goal), frontMatter: read.data,
      });
    }
    for (const file of files) {
      const taskMatch = SPRINT_TASK.exec(file.name);
      if (taskMatch) readTask(join(folder, file.name), folder, `T${taskMatch[2]}_${taskMatch[3]}`, taskMatch[1] === 'X', sprintId);
    }
  }

  const generalFolder = join(simoneFolder, '04_GENERAL_TASKS');
  for (const file of list(generalFolder)) {
    const match = GENERAL_TASK.exec(file.name);
    if (!file.isFolder && match) readTask(join(generalFolder, file.name), generalFolder, `T${match[2]}`, match[1] === 'X', undefined);
  }

  function readTask(filePath: string, folder: string, fallbackId: string, done: boolean, sprintId: string | undefined): void {
    const read = frontMatterOf(filePath);
    if (!read) return;
    const status = text(read.data.status);
    checkStatus(filePath, read.source, status, TASK_STATUSES);
    tasks.push({
      kind: 'task', id: text(read.data.task_id) ?? fallbackId, filePath, folder, done, title: text(read.data.title), status, sprintId,
      complexity: text(read.data.complexity), lastUpdated: text(read.data.last_updated), frontMatter: read.data,
    });
  }

  cache?.sweep();
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return { milestones: milestones.sort(byId), sprints: sprints.sort(byId), tasks: tasks.sort(byId), problems };
}
