/** What a Simone project's `.simone/` folder holds, read into typed records (CONFIG.md, "Simone project data and events"). */

export const MILESTONE_STATUSES = ['pending', 'active', 'completed', 'blocked', 'on_hold'] as const;
export const SPRINT_STATUSES = ['pending', 'active', 'completed', 'aborted'] as const;
export const TASK_STATUSES = ['open', 'in_progress', 'pending_review', 'done', 'failed', 'blocked'] as const;

interface EntityBase {
  /** `M01`, `S02`, `T03_S02`, `T001`: the front matter id, else the one in the file or folder name (without its `X`). */
  id: string;
  /** Absolute path of the Markdown file. */
  filePath: string;
  /** The folder holding the file (for a milestone or sprint, its own folder). */
  folder: string;
  /** Renamed with an `X` after its letter (`TX01_…`, `SX01_…`, `MX01_…`): marked finished. */
  done: boolean;
  title?: string;
  status?: string;
  /** The whole front matter, as read. */
  frontMatter: Record<string, unknown>;
}

export interface Milestone extends EntityBase {
  kind: 'milestone';
  lastUpdated?: string;
}

export interface Sprint extends EntityBase {
  kind: 'sprint';
  milestoneId?: string;
  goal?: string;
}

export interface Task extends EntityBase {
  kind: 'task';
  /** The sprint whose folder holds the task; undefined for a general task. */
  sprintId?: string;
  complexity?: string;
  lastUpdated?: string;
}

export type SimoneEntity = Milestone | Sprint | Task;

/** A file that could not be read, located; the rest of the project is still read. */
export interface ProjectProblem {
  file: string;
  /** 1-based. */
  line: number;
  message: string;
}

export interface SimoneProject {
  milestones: Milestone[];
  sprints: Sprint[];
  tasks: Task[];
  problems: ProjectProblem[];
}
