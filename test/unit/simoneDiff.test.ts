import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diffProjects } from '../../src/core/simone/diffProjects';
import type { Milestone, Sprint, Task } from '../../src/core/simone/entities';

const milestone = (id: string, status: string, done = false): Milestone => ({ kind: 'milestone', id, status, done, filePath: `/${id}.md`, folder: '/', frontMatter: {} });
const sprint = (id: string, status: string, done = false): Sprint => ({ kind: 'sprint', id, status, done, filePath: `/${id}.md`, folder: '/', frontMatter: {} });
const task = (id: string, status: string, done = false): Task => ({ kind: 'task', id, status, done, filePath: `/${id}.md`, folder: '/', frontMatter: {} });
const empty = { milestones: [], sprints: [], tasks: [] };
const names = (events: ReturnType<typeof diffProjects>) => events.map((event) => `${event.name}:${event.entity.id}`);

describe('diffProjects', () => {
  it('gives no events for identical snapshots', () => {
    const snapshot = { milestones: [milestone('M01', 'active')], sprints: [sprint('S01', 'active')], tasks: [task('T01', 'open')] };
    assert.deepEqual(diffProjects(snapshot, structuredClone(snapshot)), []);
  });

  it('milestone_created and milestone_completed (by status or by X rename)', () => {
    assert.deepEqual(names(diffProjects(empty, { ...empty, milestones: [milestone('M01', 'pending')] })), ['milestone_created:M01']);
    const before = { ...empty, milestones: [milestone('M01', 'active'), milestone('M02', 'active')] };
    const after = { ...empty, milestones: [milestone('M01', 'completed'), milestone('M02', 'active', true)] };
    const events = diffProjects(before, after);
    assert.deepEqual(names(events), ['milestone_completed:M01', 'milestone_completed:M02']);
    assert.equal(events[1].entity, after.milestones[1]);
  });

  it('sprint_started and sprint_finished (completed, aborted or renamed)', () => {
    const before = { ...empty, sprints: [sprint('S01', 'pending'), sprint('S02', 'active'), sprint('S03', 'active'), sprint('S04', 'active')] };
    const after = { ...empty, sprints: [sprint('S01', 'active'), sprint('S02', 'completed'), sprint('S03', 'aborted'), sprint('S04', 'active', true), sprint('S05', 'active')] };
    assert.deepEqual(names(diffProjects(before, after)), ['sprint_started:S01', 'sprint_finished:S02', 'sprint_finished:S03', 'sprint_finished:S04', 'sprint_started:S05']);
  });

  it('task_created and task_completed, once, whether marked done or renamed', () => {
    const before = { ...empty, tasks: [task('T01', 'in_progress'), task('T02', 'open'), task('T03', 'done')] };
    const after = { ...empty, tasks: [task('T01', 'done'), task('T02', 'open', true), task('T03', 'done', true), task('T04', 'done')] };
    assert.deepEqual(names(diffProjects(before, after)), ['task_completed:T01', 'task_completed:T02', 'task_created:T04', 'task_completed:T04']);
  });
});
