import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { cli, edits, scanned, simoneProject } from '../support/eventsProject';
import { FlakyServer, ok } from '../support/flakyServer';
import { until } from '../support/until';

const CHILD = join(__dirname, '../support/eventsChild.ts');

/** The child and its JSON lines as they come. */
function child(...args: string[]): { process: ChildProcess; lines: unknown[]; exited: Promise<number | null> } {
  const started = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: unknown[] = [];
  createInterface({ input: started.stdout! }).on('line', (line) => lines.push(JSON.parse(line)));
  const exited = new Promise<number | null>((resolve) => started.once('exit', (code) => resolve(code)));
  return { process: started, lines, exited };
}

describe('the event store across processes', { timeout: 120_000 }, () => {
  let receiver: FlakyServer;
  before(async () => {
    receiver = await FlakyServer.start();
  });
  after(() => receiver?.close());

  const project = () =>
    simoneProject({
      hooks: `integration:\n  type: webhook\n  name: hooks\n  retry: { max_attempts: 1 }\n  timeout: 2s\n  endpoints:\n    - { name: ci, url: "${receiver.url}/hooks/ci", events: [task_completed], secret: "\${CI_SECRET}", signature: github }\n`,
    });
  const env = { CI_SECRET: 'a-test-secret-long-enough' };
  const webhookIds = () => receiver.requests.map((request) => JSON.parse(request.body).id as string);

  it('a process killed (SIGKILL) between append and send: the next start sends the event once, never twice', async () => {
    const workspace = project();
    try {
      receiver.respond(ok());
      await scanned(workspace, env);
      edits.taskDoneAndRenamed(workspace);
      const killed = child('scan', workspace.root);
      await until(() => killed.lines.length === 1, 'the child scanned');
      const [{ events }] = killed.lines as Array<{ events: string[] }>;
      assert.equal(events.length, 1);
      killed.process.kill('SIGKILL');
      await killed.exited;
      assert.equal(receiver.requests.length, 0, 'nothing was sent before the kill');

      assert.deepEqual(await scanned(workspace, env), [], 'the change is not derived again');
      const next = await cli(workspace, env, 'events', 'dispatch');
      assert.equal(next.code, 0, next.stdout + next.stderr);
      assert.deepEqual(webhookIds(), events);
      const again = await cli(workspace, env, 'events', 'dispatch');
      assert.match(again.stdout, /nothing to send/);
      assert.deepEqual(webhookIds(), events, 'once, not twice');
    } finally {
      workspace.dispose();
    }
  });

  it('a dispatch killed mid-send leaves its lock behind: the next start breaks it and sends what was not confirmed, with the same id', async () => {
    const workspace = project();
    try {
      receiver.respond('stall');
      await scanned(workspace, env);
      edits.taskDoneAndRenamed(workspace);
      const [[, , version]] = await scanned(workspace, env);
      assert.equal(version, 1);
      const killed = child('dispatch', workspace.root);
      await until(() => receiver.requests.length === 1, 'the stalled send');
      assert.equal(existsSync(workspace.path('.simone/events/dispatch.lock')), true);
      killed.process.kill('SIGKILL');
      await killed.exited;

      receiver.respond(ok());
      const next = await cli(workspace, env, 'events', 'dispatch', '--format', 'json');
      assert.equal(next.code, 0, next.stdout + next.stderr);
      assert.deepEqual(JSON.parse(next.stdout).deliveries.map((delivery: { state: string }) => delivery.state), ['delivered']);
      const [first] = webhookIds();
      assert.deepEqual(webhookIds(), [first], 'the unconfirmed send went again with the id of the first: a receiver drops it');
      assert.match((await cli(workspace, env, 'events', 'dispatch')).stdout, /nothing to send/);
    } finally {
      workspace.dispose();
    }
  });

  it('2 processes x 500 concurrent appends give 1,000 whole lines, versions 1 to 1,000 of the aggregate', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'simone-events-'));
    try {
      const writers = [child('append', folder, '500', 'T001'), child('append', folder, '500', 'T001')];
      assert.deepEqual(await Promise.all(writers.map((writer) => writer.exited)), [0, 0]);
      assert.deepEqual(writers.map((writer) => writer.lines), [[{ appended: 500 }], [{ appended: 500 }]]);
      const text = readFileSync(join(folder, 'events.jsonl'), 'utf8');
      assert.ok(text.endsWith('\n'));
      const lines = text.split('\n').slice(0, -1).map((line) => JSON.parse(line) as { id: string; version: number; data: { title: string } });
      assert.equal(lines.length, 1000);
      assert.deepEqual(lines.map((line) => line.version), Array.from({ length: 1000 }, (_, index) => index + 1));
      assert.equal(new Set(lines.map((line) => line.id)).size, 1000);
      assert.equal(new Set(lines.map((line) => line.data.title)).size, 2, 'both writers wrote');
      assert.equal(existsSync(join(folder, 'store.lock')), false);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
