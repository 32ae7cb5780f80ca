import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { edits, scanned, simoneProject } from '../support/eventsProject';
import { FlakyServer, ok } from '../support/flakyServer';
import { until } from '../support/until';

const MAIN = join(__dirname, '../../src/cli/main.ts');

describe('simone-integrations watch', { timeout: 120_000 }, () => {
  let receiver: FlakyServer;
  before(async () => {
    receiver = await FlakyServer.start();
    receiver.respond(ok());
  });
  after(() => receiver?.close());

  it('sends what an earlier run left pending, then scans and dispatches each .simone change until stopped (SIGTERM)', async () => {
    const workspace = simoneProject({
      hooks: `integration:\n  type: webhook\n  name: hooks\n  endpoints:\n    - { name: ci, url: "${receiver.url}/hooks/ci", events: [task_completed, milestone_created], secret: "\${CI_SECRET}", signature: github }\n`,
      events: 'integration:\n  type: event_driven\n  name: flow\n  publishers:\n    - { name: nowhere, events: [task_created], destination: "http://127.0.0.1:9/unused" }\n  subscribers:\n    - { name: cmd, events: [task_created], handler: "command:x.y" }\n',
    });
    const env = { CI_SECRET: 'watch-test-secret' };
    await scanned(workspace, env);
    edits.newMilestone(workspace);
    assert.deepEqual(await scanned(workspace, env), [['milestone_created', 'M02', 1]], 'appended, not sent: pending for the watch');
    const watcher = spawn(process.execPath, ['--import', 'tsx', MAIN, 'watch', '--workspace', workspace.root, '--format', 'json'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: Array<{ kind: string; [key: string]: unknown }> = [];
    let stderr = '';
    watcher.stderr!.on('data', (chunk) => (stderr += chunk));
    createInterface({ input: watcher.stdout! }).on('line', (line) => lines.push(JSON.parse(line)));
    const exited = new Promise<number | null>((resolve) => watcher.once('exit', resolve));
    const kinds = () => lines.map((line) => line.kind);
    try {
      await until(() => lines.some((line) => line.kind === 'delivery'), `the pending delivery (${stderr})`);
      assert.equal(JSON.parse(receiver.requests[0].body).type, 'milestone_created');
      assert.ok(lines.some((line) => line.kind === 'skipped'), 'no queue carries task_created: the subscriber is reported');
      edits.taskDoneAndRenamed(workspace);
      await until(() => lines.filter((line) => line.kind === 'delivery').length === 2, 'the delivery of the change');
      const event = lines.find((line) => line.kind === 'event')!;
      assert.deepEqual([event.type, event.aggregate], ['task_completed', 'T01_S01']);
      assert.equal(lines.filter((line) => line.kind === 'delivery')[1].state, 'delivered');
      assert.equal(receiver.requests.length, 2);
      assert.equal(JSON.parse(receiver.requests[1].body).id, event.id);
    } finally {
      watcher.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
      workspace.dispose();
    }
    assert.equal(kinds().at(-1), 'stopped');
    assert.equal(lines.filter((line) => line.kind === 'event').length, 1, 'the change once');
    assert.equal(receiver.requests.length, 2, 'each event once');
  });
});
