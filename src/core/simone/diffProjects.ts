import type { Milestone, SimoneProject, Sprint, Task } from './entities';

/** A project event of CONFIG.md with the entity it concerns, as it is after the change. */
export type SimoneEvent =
  | { name: 'milestone_created' | 'milestone_completed'; entity: Milestone }
  | { name: 'sprint_started' | 'sprint_finished'; entity: Sprint }
  | { name: 'task_created' | 'task_completed'; entity: Task };

type Snapshot = Pick<SimoneProject, 'milestones' | 'sprints' | 'tasks'>;

const milestoneCompleted = (milestone: Milestone | undefined) => !!milestone && (milestone.done || milestone.status === 'completed');
const sprintActive = (sprint: Sprint | undefined) => sprint?.status === 'active';
const sprintFinished = (sprint: Sprint | undefined) => !!sprint && (sprint.done || sprint.status === 'completed' || sprint.status === 'aborted');
const taskCompleted = (task: Task | undefined) => !!task && (task.done || task.status === 'done');

/**
 * The events between two reads of a project. An entity is matched by id, so an `X` rename is a change, not a new
 * entity; a new entity is compared with "nothing yet", so a task that appears already done is created and completed.
 */
export function diffProjects(before: Snapshot, after: Snapshot): SimoneEvent[] {
  const events: SimoneEvent[] = [];
  const previousMilestones = new Map(before.milestones.map((milestone) => [milestone.id, milestone]));
  for (const milestone of after.milestones) {
    const previous = previousMilestones.get(milestone.id);
    if (!previous) events.push({ name: 'milestone_created', entity: milestone });
    if (!milestoneCompleted(previous) && milestoneCompleted(milestone)) events.push({ name: 'milestone_completed', entity: milestone });
  }
  const previousSprints = new Map(before.sprints.map((sprint) => [sprint.id, sprint]));
  for (const sprint of after.sprints) {
    const previous = previousSprints.get(sprint.id);
    if (!sprintActive(previous) && sprintActive(sprint)) events.push({ name: 'sprint_started', entity: sprint });
    if (!sprintFinished(previous) && sprintFinished(sprint)) events.push({ name: 'sprint_finished', entity: sprint });
  }
  const previousTasks = new Map(before.tasks.map((task) => [task.id, task]));
  for (const task of after.tasks) {
    const previous = previousTasks.get(task.id);
    if (!previous) events.push({ name: 'task_created', entity: task });
    if (!taskCompleted(previous) && taskCompleted(task)) events.push({ name: 'task_completed', entity: task });
  }
  return events;
}
