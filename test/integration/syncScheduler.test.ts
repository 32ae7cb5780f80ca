import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Workspace } from '../../src/core/workspace';
import { EngineServices } from '../../src/runners/engineServices';
import { SyncScheduler, type ScheduledSyncRun } from '../../src/runners/sync/syncScheduler';
import { simoneProject } from '../support/eventsProject';
import { FakeClock } from '../support/fakeClock';
import { until } from '../support/until';

const HOUR = 60 * 60 * 1000;

describe('scheduled syncs (sync_frequency) on embedded PostgreSQL', { timeout: 120_000 }, () => {
  const workspace = simoneProject({
    analytics: [
      'integration:\n  type: database\n  name: analytics\n  connections:\n    - { name: local, type: pglite, path: .simone/data/pglite }\n  sync_tables:',
      '    - { source: tasks, target: tasks, sync_frequency: real_time }',
      '    - { source: milestones, target: milestones, sync_frequency: hourly }',
      '    - { source: sprints, target: sprints, sync_frequency: daily }',
      '    - { source: local.tasks, target: task_copy, sync_frequency: real_time, mode: full }',
      '    - { source: local.milestones, target: milestone_copy, sync_frequency: manual, mode: full }',
      '',
    ].join('\n'),
  });
  let services: EngineServices;
  before(() => {
    services = new EngineServices();
  });
  after(async () => {
    await services?.dispose();
    workspace.dispose();
  });

  const scheduler = (clock: FakeClock) => {
    const loaded = Workspace.load({ workspace: workspace.root, processEnv: {} });
    const runs: ScheduledSyncRun[] = [];
    const scheduled = new SyncScheduler({ folder: workspace.root, workspace: () => loaded, services, clock, debounceMs: 500 });
    scheduled.onDidRun((run) => runs.push(run));
    return { scheduled, runs };
  };
  const summary = (runs: ScheduledSyncRun[]) => runs.map((run) => [run.reason, run.sources.join(','), run.result.ok]);

  it('runs hourly and daily syncs at once when they never ran, then an hour after their last run, also after a restart', async () => {
    const firstClock = new FakeClock(Date.now());
    const first = scheduler(firstClock);
    await first.scheduled.start();
    assert.equal(first.runs.length, 0, 'nothing before time moves');
    await firstClock.advance(0);
    await until(() => first.runs.length === 2, 'the overdue syncs');
    assert.deepEqual(summary(first.runs).sort(), [['daily', 'sprints', true], ['hourly', 'milestones', true]]);
    await first.scheduled.stop();

    // A restart a few minutes later: the last runs are read from the sync state, so nothing runs early.
    const clock = new FakeClock(Date.now());
    const restarted = scheduler(clock);
    await restarted.scheduled.start();
    await clock.advance(HOUR - 5 * 60 * 1000);
    assert.equal(restarted.runs.length, 0);
    await clock.advance(10 * 60 * 1000);
    await until(() => restarted.runs.length === 1, 'the hourly sync');
    assert.deepEqual(summary(restarted.runs), [['hourly', 'milestones', true]]);
    await clock.advance(HOUR);
    await until(() => restarted.runs.length === 2, 'the next hourly sync');
    assert.deepEqual(summary(restarted.runs).map(([reason]) => reason), ['hourly', 'hourly']);
    await restarted.scheduled.stop();
  });

  it('runs real_time syncs (and the table syncs they feed) once after a burst of relevant .simone changes, not for other files', async () => {
    const clock = new FakeClock(Date.now());
    const { scheduled, runs } = scheduler(clock);
    try {
      scheduled.projectChanged([workspace.path('.simone/integrations/analytics.yaml'), workspace.path('.simone/events/events.jsonl')]);
      await clock.advance(1000);
      assert.equal(runs.length, 0);
      workspace.write('.simone/04_GENERAL_TASKS/T002_New.md', '---\ntask_id: T002\nstatus: open\n---\n');
      for (let change = 0; change < 3; change++) {
        scheduled.projectChanged([workspace.path('.simone/04_GENERAL_TASKS/T002_New.md')]);
        await clock.advance(200);
      }
      assert.equal(runs.length, 0, 'still within the debounce');
      await clock.advance(500);
      await until(() => runs.length === 1, 'the real_time sync');
      assert.deepEqual(summary(runs), [['real_time', 'tasks,local.tasks', true]]);
      const [tasks, copy] = runs[0].result.tables;
      assert.ok(tasks.ok && copy.ok);
      assert.equal(tasks.ok && tasks.inserted, 4, 'the project tasks, T002 included');
      assert.equal(copy.ok && copy.inserted, 4);
      // Milestones are not real_time: a milestone change runs nothing.
      scheduled.projectChanged([workspace.path('.simone/02_REQUIREMENTS/M01_Setup/M01_milestone_meta.md')]);
      await clock.advance(1000);
      assert.equal(runs.length, 1);
    } finally {
      await scheduled.stop();
    }
  });
});
