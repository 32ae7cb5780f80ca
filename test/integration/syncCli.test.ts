import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main';
import { startPostgres, type PostgresServer } from '../support/postgres';

describe('simone-integrations sync', { timeout: 120_000 }, () => {
  let server: PostgresServer;
  const folder = mkdtempSync(join(tmpdir(), 'simone-sync-cli-'));

  async function cli(...args: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await main(['sync', ...args, '--workspace', folder], { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), cwd: folder, env: { DB_PASSWORD: server.password }, signal: new AbortController().signal });
    return { code, stdout, stderr };
  }

  before(async () => {
    server = await startPostgres();
    mkdirSync(join(folder, '.simone/integrations'), { recursive: true });
    mkdirSync(join(folder, '.simone/04_GENERAL_TASKS'), { recursive: true });
    writeFileSync(join(folder, '.simone/04_GENERAL_TASKS/T001_A.md'), '---\ntask_id: T001\nstatus: open\n---\n');
    writeFileSync(join(folder, '.simone/04_GENERAL_TASKS/T002_B.md'), '---\ntask_id: T002\nstatus: done\n---\n');
    const connection = (name: string, password: string) => `    - { name: ${name}, type: postgresql, host: 127.0.0.1, port: ${server.port}, database: ${server.database}, user: ${server.user}, password: "${password}", schema: reports }`;
    writeFileSync(join(folder, '.simone/integrations/db.yaml'), [
      'integration:\n  name: reports\n  type: database\n  connections:', connection('main', '${DB_PASSWORD}'), '  sync_tables:\n    - { source: tasks, target: tasks }\n    - { source: milestones, target: milestones }\n---',
      'integration:\n  name: broken\n  type: database\n  timeout: 5s\n  connections:', connection('main', 'Wr0ng-Secret'), '  sync_tables:\n    - { source: tasks, target: tasks }\n',
    ].join('\n'));
  });
  after(async () => {
    await server?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('dry run, then the real run, as JSON with one entry per table', async () => {
    const dry = await cli('reports', '--dry-run', '--format', 'json', '--table', 'tasks');
    assert.equal(dry.code, 0, dry.stderr);
    const preview = JSON.parse(dry.stdout);
    assert.equal(preview.dryRun, true);
    assert.deepEqual(preview.tables.map((t: Record<string, unknown>) => [t.source, t.target, t.inserted, t.updated, t.deleted, t.unchanged]), [['tasks', 'tasks', 2, 0, 0, 0]]);
    assert.equal(preview.tables[0].samples.inserted.length, 2);
    const real = await cli('reports', '--format', 'json');
    assert.equal(real.code, 0, real.stderr);
    const report = JSON.parse(real.stdout);
    assert.equal(report.integration, 'reports');
    assert.equal(report.dryRun, false);
    assert.deepEqual(report.tables.map((t: Record<string, unknown>) => [t.source, t.inserted, t.unchanged, typeof t.durationMs]), [['tasks', 2, 0, 'number'], ['milestones', 0, 0, 'number']]);
    const again = await cli('reports');
    assert.equal(again.code, 0);
    assert.match(again.stdout, /tasks -> tasks: 0 inserted, 0 updated, 0 deleted, 2 unchanged/);
  });

  it('exit 1 with a clear message and no password when a connection fails; exit 2 on bad usage', async () => {
    const failed = await cli('broken', '--format', 'json');
    assert.equal(failed.code, 1);
    const report = JSON.parse(failed.stdout);
    assert.match(report.tables[0].error, /cannot connect to "main" \(postgresql simone_test@127\.0\.0\.1:\d+\/simone_test\): password authentication failed/);
    assert.ok(!failed.stdout.includes('Wr0ng-Secret'));
    assert.equal((await cli()).code, 2);
    assert.equal((await cli('nope')).code, 2);
    const badTable = await cli('reports', '--table', 'sprints');
    assert.equal(badTable.code, 2);
    assert.match(badTable.stderr, /no sync_tables entry with source "sprints"/);
    assert.equal((await cli('reports', '--format', 'xml')).code, 2);
  });
});
