import { randomUUID } from 'node:crypto';
import { readFile, rename, rm, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Milestone, SimoneEntity, SimoneProject, Sprint, Task } from '../../core/simone/entities';
import { ClassifiedError } from '../errors';
import { createSyncedFile } from './syncedFile';
import type { EventEntity } from './storedEvent';

/** The project as the last scan saw it, kept beside the store (`snapshot.json`). */
export interface ProjectSnapshot {
  scannedAt: string;
  milestones: EventEntity[];
  sprints: EventEntity[];
  tasks: EventEntity[];
}

/** A scan's next snapshot, written before its events are appended (see `ScanJournal`), with their ids. */
interface PendingSnapshot extends ProjectSnapshot {
  eventIds: string[];
}

/** A project of more entities than this is not snapshotted (the same bound as the reader's folders give). */
export const MAX_SNAPSHOT_BYTES = 32 * 1024 * 1024;

const posix = (path: string) => path.split(sep).join('/');

/** The plain record of an entity, paths relative to the workspace folder. */
export function eventEntity(entity: SimoneEntity, workspaceFolder: string): EventEntity {
  const record: EventEntity = { kind: entity.kind, id: entity.id, done: entity.done, file: posix(relative(workspaceFolder, entity.filePath)) };
  if (entity.title !== undefined) record.title = entity.title;
  if (entity.status !== undefined) record.status = entity.status;
  if (entity.kind === 'sprint' && entity.milestoneId !== undefined) record.milestoneId = entity.milestoneId;
  if (entity.kind === 'sprint' && entity.goal !== undefined) record.goal = entity.goal;
  if (entity.kind === 'task' && entity.sprintId !== undefined) record.sprintId = entity.sprintId;
  if (entity.kind === 'task' && entity.complexity !== undefined) record.complexity = entity.complexity;
  if (entity.kind !== 'sprint' && entity.lastUpdated !== undefined) record.lastUpdated = entity.lastUpdated;
  return record;
}

/** Back to the reader's types, for the differ (which looks at id, status and `done`; the folder is not kept). */
function readerEntity<K extends SimoneEntity['kind']>(record: EventEntity, kind: K, workspaceFolder: string): Extract<SimoneEntity, { kind: K }> {
  const filePath = join(workspaceFolder, record.file);
  return { ...record, kind, filePath, folder: '', frontMatter: {} } as unknown as Extract<SimoneEntity, { kind: K }>;
}

export function snapshotOf(project: Pick<SimoneProject, 'milestones' | 'sprints' | 'tasks'>, workspaceFolder: string, scannedAt = new Date()): ProjectSnapshot {
  return {
    scannedAt: scannedAt.toISOString(),
    milestones: project.milestones.map((entity) => eventEntity(entity, workspaceFolder)),
    sprints: project.sprints.map((entity) => eventEntity(entity, workspaceFolder)),
    tasks: project.tasks.map((entity) => eventEntity(entity, workspaceFolder)),
  };
}

export function projectOf(snapshot: ProjectSnapshot, workspaceFolder: string): { milestones: Milestone[]; sprints: Sprint[]; tasks: Task[] } {
  return {
    milestones: snapshot.milestones.map((record) => readerEntity(record, 'milestone', workspaceFolder)),
    sprints: snapshot.sprints.map((record) => readerEntity(record, 'sprint', workspaceFolder)),
    tasks: snapshot.tasks.map((record) => readerEntity(record, 'task', workspaceFolder)),
  };
}

const isSnapshot = (value: unknown): value is ProjectSnapshot => {
  const snapshot = value as ProjectSnapshot;
  return !!snapshot && typeof snapshot.scannedAt === 'string' && [snapshot.milestones, snapshot.sprints, snapshot.tasks].every(Array.isArray);
};

async function readJson(path: string): Promise<unknown> {
  let size: number;
  try {
    const stats = await stat(path);
    if (!stats.isFile()) throw new ClassifiedError('config', `${path} is not a regular file`);
    size = stats.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (size > MAX_SNAPSHOT_BYTES) throw new ClassifiedError('config', `${path} is over ${MAX_SNAPSHOT_BYTES} bytes; remove it to start from the project as it is now`);
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ClassifiedError('config', `${path} is not readable JSON (${(error as Error).message}); remove it to start from the project as it is now`);
  }
}

async function writeAtomically(path: string, value: unknown): Promise<void> {
  const text = JSON.stringify(value);
  if (Buffer.byteLength(text) > MAX_SNAPSHOT_BYTES) throw new ClassifiedError('config', `the project snapshot would be over ${MAX_SNAPSHOT_BYTES} bytes`);
  const temporary = `${path}.${randomUUID()}.tmp`;
  await createSyncedFile(temporary, text);
  await rename(temporary, path);
}

/**
 * The snapshot and the scan in progress, crash-safe: a scan writes `snapshot.next.json` (the new snapshot and the
 * ids of its events), appends the events, then renames it over `snapshot.json`. A scan that died in between is
 * settled by the next one under the lock: its events are in the log, so its snapshot is kept; none of them is, so
 * it never happened. Either way no change gives its events twice, and none is lost.
 */
export class ScanJournal {
  private readonly current: string;
  private readonly next: string;

  constructor(folder: string) {
    this.current = join(folder, 'snapshot.json');
    this.next = join(folder, 'snapshot.next.json');
  }

  /** The last snapshot, after settling a scan that died (call under the store lock). */
  async load(hasEvent: (id: string) => boolean): Promise<ProjectSnapshot | undefined> {
    const pending = (await readJson(this.next)) as PendingSnapshot | undefined;
    if (pending) {
      if (isSnapshot(pending) && Array.isArray(pending.eventIds) && pending.eventIds.some(hasEvent)) await rename(this.next, this.current);
      else await rm(this.next, { force: true });
    }
    const snapshot = await readJson(this.current);
    if (snapshot !== undefined && !isSnapshot(snapshot)) throw new ClassifiedError('config', `${this.current} is not a project snapshot; remove it to start from the project as it is now`);
    return snapshot;
  }

  async begin(snapshot: ProjectSnapshot, eventIds: string[]): Promise<void> {
    await writeAtomically(this.next, { ...snapshot, eventIds } satisfies PendingSnapshot);
  }

  async commit(): Promise<void> {
    await rename(this.next, this.current);
  }

  /** A scan without events: the snapshot is written at once. */
  async save(snapshot: ProjectSnapshot): Promise<void> {
    await writeAtomically(this.current, snapshot);
  }
}
