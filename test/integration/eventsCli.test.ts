import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { cli, edits, scanned, simoneProject } from '../support/eventsProject';
import { TempWorkspace } from '../support/tempWorkspace';

describe('events through the CLI: scripted .simone edits give exactly their events, in order, once each', () => {
  const workspace = simoneProject();
  after(() => workspace.dispose());

  it('records the snapshot on the first scan and reports no events; the store folder appears then', async () => {
    assert.equal(existsSync(workspace.path('.simone/events')), false);
    const first = await cli(workspace, {}, 'events', 'scan');
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /first scan: the project snapshot is recorded; no events/);
    assert.deepEqual(await scanned(workspace), []);
    assert.equal(existsSync(workspace.path('.simone/events/events.jsonl')), false, 'no event, no log');
  });

  it('a new milestone folder: milestone_created', async () => {
    edits.newMilestone(workspace);
    assert.deepEqual(await scanned(workspace), [['milestone_created', 'M02', 1]]);
    assert.deepEqual(await scanned(workspace), []);
  });

  it("a sprint's status to completed: sprint_finished", async () => {
    edits.sprintCompleted(workspace);
    assert.deepEqual(await scanned(workspace), [['sprint_finished', 'S01', 1]]);
    assert.deepEqual(await scanned(workspace), []);
  });

  it('a task set to done and renamed to TX01: one task_completed', async () => {
    edits.taskDoneAndRenamed(workspace);
    assert.deepEqual(await scanned(workspace), [['task_completed', 'T01_S01', 1]]);
    assert.deepEqual(await scanned(workspace), []);
  });

  it('lists the store in that shape, --since an id, and replays an aggregate', async () => {
    const listed = await cli(workspace, {}, 'events', '--format', 'json');
    assert.equal(listed.code, 0, listed.stderr);
    const { events } = JSON.parse(listed.stdout) as { events: Array<Record<string, unknown>> };
    assert.deepEqual(events.map((event) => [event.type, event.aggregate, event.version]), [['milestone_created', 'M02', 1], ['sprint_finished', 'S01', 1], ['task_completed', 'T01_S01', 1]]);
    for (const event of events) assert.deepEqual(Object.keys(event), ['id', 'type', 'aggregate', 'version', 'time']);
    assert.equal(readFileSync(workspace.path('.simone/events/events.jsonl'), 'utf8').split('\n').filter(Boolean).length, 3);

    const since = await cli(workspace, {}, 'events', '--since', String(events[0].id), '--format', 'json');
    assert.deepEqual((JSON.parse(since.stdout) as { events: Array<{ id: string }> }).events.map((event) => event.id), [events[1].id, events[2].id]);
    const unknown = await cli(workspace, {}, 'events', '--since', 'nope');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no event "nope"/);

    const replay = await cli(workspace, {}, 'events', 'replay', 'T01_S01', '--format', 'json');
    assert.equal(replay.code, 0, replay.stderr);
    const state = JSON.parse(replay.stdout);
    assert.equal(state.version, 1);
    assert.equal(state.completed, true);
    assert.equal(state.state.status, 'done');
    assert.equal(state.state.file, '.simone/03_SPRINTS/S01_M01_Basics/TX01_S01_First.md');
    const text = await cli(workspace, {}, 'events', 'replay', 'T01_S01');
    assert.match(text.stdout, /^T01_S01 \(task\) at version 1: done, renamed \(finished\), "First", \.simone\/03_SPRINTS\/S01_M01_Basics\/TX01_S01_First\.md\n {2}v1 task_completed {2}/);
    assert.equal((await cli(workspace, {}, 'events', 'replay', 'T99')).code, 1);
  });

  it('all three edits between two scans come in the stable order: milestones, sprints, tasks', async () => {
    const other = simoneProject();
    try {
      await scanned(other);
      edits.taskDoneAndRenamed(other);
      edits.sprintCompleted(other);
      edits.newMilestone(other);
      assert.deepEqual(await scanned(other), [['milestone_created', 'M02', 1], ['sprint_finished', 'S01', 1], ['task_completed', 'T01_S01', 1]]);
    } finally {
      other.dispose();
    }
  });

  it('a task file saved half-edited keeps its last state: no task_created when it is readable again', async () => {
    const path = '.simone/04_GENERAL_TASKS/T001_Readme.md';
    const good = readFileSync(workspace.path(path), 'utf8');
    workspace.write(path, '---\ntask_id: T001\nstatus: [open\n');
    const broken = await cli(workspace, {}, 'events', 'scan', '--format', 'json');
    assert.equal(broken.code, 0);
    assert.deepEqual(JSON.parse(broken.stdout), { events: [] });
    assert.match(broken.stderr, /T001_Readme\.md:1: warning: /);
    workspace.write(path, good.replace('status: open', 'status: done'));
    assert.deepEqual(await scanned(workspace), [['task_completed', 'T001', 1]]);
  });

  it('a folder without .simone is not a Simone project: exit 1, nothing created', async () => {
    const empty = new TempWorkspace();
    try {
      const result = await cli(empty, {}, 'events', 'scan');
      assert.equal(result.code, 1);
      assert.match(result.stderr, /has no \.simone folder: not a Simone project/);
      assert.equal(existsSync(empty.path('.simone')), false);
      const dispatched = await cli(empty, {}, 'events', 'dispatch');
      assert.equal(dispatched.code, 0, dispatched.stderr);
      assert.match(dispatched.stdout, /nothing to send/);
      assert.equal(existsSync(empty.path('.simone')), false);
    } finally {
      empty.dispose();
    }
  });

  it('bad usage exits 2 with the usage', async () => {
    for (const args of [['events', 'frobnicate'], ['events', 'scan', 'extra'], ['events', 'replay'], ['events', 'scan', '--dry-run']]) {
      const result = await cli(workspace, {}, ...args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /usage: events|goes with/);
    }
  });
});
