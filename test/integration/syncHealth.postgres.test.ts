import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import { createHealthProbeContext } from '../../src/runners/health/healthProbeContext';
import { databaseIntegrationHealth } from '../../src/runners/health/databaseIntegrationHealth';
import { ConnectionSet } from '../../src/runners/sync/connectionSet';
import { syncIntegration } from '../../src/runners/sync/runSync';
import { integrationFromYaml } from '../support/integrationFromYaml';
import { startPostgres, type PostgresServer } from '../support/postgres';

describe('database health probe on PostgreSQL', { timeout: 120_000 }, () => {
  let server: PostgresServer;
  const folder = mkdtempSync(join(tmpdir(), 'simone-sync-health-'));
  const model = () =>
    integrationFromYaml('database', `integration:\n  name: probed\n  type: database\n  connections:\n    - { name: main, type: postgresql, url: "${server?.url}" }\n  sync_tables:\n    - { source: main.items, target: items_copy }\n`);

  before(async () => {
    server = await startPostgres();
    const client = new Client({ connectionString: server.url });
    await client.connect();
    await client.query("CREATE TABLE items AS SELECT g AS id, 'item ' || g AS name FROM generate_series(1, 100) g; ALTER TABLE items ADD PRIMARY KEY (id)");
    await client.end();
  });
  after(async () => {
    await server?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it('cancelled mid-query: returns at once as unknown, the statement is stopped on the server, the session stays usable', async () => {
    const integration = model();
    const connections = new ConnectionSet(integration);
    const context = createHealthProbeContext({ integrations: [integration], projectFolder: () => folder, databaseConnections: () => connections });
    const locker = new Client({ connectionString: server.url });
    await locker.connect();
    try {
      assert.equal((await syncIntegration(integration, { projectFolder: folder, connections })).ok, true);
      const healthy = await databaseIntegrationHealth(integration, context, new AbortController().signal);
      assert.equal(healthy.state, 'healthy', healthy.detail);
      const [{ pid }] = await (await connections.get('main')).query<{ pid: number }>('SELECT pg_backend_pid() AS pid');

      // The probe's read of the sync state waits behind this lock until it is cancelled.
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE _simone_sync_state IN ACCESS EXCLUSIVE MODE');
      const controller = new AbortController();
      const probing = databaseIntegrationHealth(integration, context, controller.signal);
      const waiting = async () => (await locker.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'", [pid])).rows[0].n;
      for (let tries = 0; (await waiting()) === 0; tries++) {
        assert.ok(tries < 200, 'the probe never reached the locked table');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const cancelledAt = performance.now();
      controller.abort();
      const cancelled = await probing;
      const tookMs = performance.now() - cancelledAt;
      assert.equal(cancelled.state, 'unknown');
      assert.equal(cancelled.detail, 'cancelled');
      assert.ok(tookMs < 2000, `returned ${Math.round(tookMs)} ms after the cancel`);
      // Stopped, not abandoned: the server is no longer running it, though the lock is still held.
      for (let tries = 0; (await waiting()) > 0; tries++) {
        assert.ok(tries < 200, 'the cancelled statement still waits on the server');
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      await locker.query('COMMIT');

      const again = await databaseIntegrationHealth(integration, context, new AbortController().signal);
      assert.equal(again.state, 'healthy', again.detail);
      const [{ pid: after }] = await (await connections.get('main')).query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      assert.equal(after, pid, 'the same session, not a replaced one');
    } finally {
      await locker.end();
      await connections.close();
    }
  });

  it('a probe cancelled before it starts returns unknown', async () => {
    const integration = model();
    const connections = new ConnectionSet(integration);
    const context = createHealthProbeContext({ integrations: [integration], projectFolder: () => folder, databaseConnections: () => connections });
    try {
      const controller = new AbortController();
      controller.abort();
      const result = await databaseIntegrationHealth(integration, context, controller.signal);
      assert.deepEqual([result.state, result.detail], ['unknown', 'cancelled']);
    } finally {
      await connections.close();
    }
  });
});
