import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ConnectionSet } from '../../src/runners/sync/connectionSet';
import { integrationFromYaml } from '../support/integrationFromYaml';
import { startPostgres, type PostgresServer } from '../support/postgres';

const integrationAt = (url: string) =>
  integrationFromYaml('database', `integration:\n  name: long_lived\n  type: database\n  timeout: 2s\n  connections:\n    - { name: main, type: postgresql, url: "${url}" }\n  sync_tables: []\n`);

describe('a long-lived connection set (health, the editor)', { timeout: 120_000 }, () => {
  let server: PostgresServer;
  before(async () => {
    server = await startPostgres();
  });
  after(async () => {
    await server?.stop();
  });

  it('tries a failed open again on the next use', async () => {
    let attempts = 0;
    // Accepts and hangs up at once: every open fails.
    const refusing = createServer((socket) => {
      attempts++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const connections = new ConnectionSet(integrationAt(`postgresql://nobody:pw@127.0.0.1:${(refusing.address() as AddressInfo).port}/none`));
    try {
      for (let i = 0; i < 2; i++) await assert.rejects(connections.get('main'), /cannot connect to "main"/);
      assert.equal(attempts, 2);
    } finally {
      await connections.close();
      refusing.close();
    }
  });

  it('opens a new session when the server dropped the last one', async () => {
    const connections = new ConnectionSet(integrationAt(server.url));
    try {
      const first = await connections.get('main');
      const [{ pid }] = await first.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await server.admin(`SELECT pg_terminate_backend(${pid})`);
      for (let waited = 0; first.usable && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(first.usable, false, 'the dropped session is known to be gone');
      const second = await connections.get('main');
      assert.notEqual(second, first);
      const [{ pid: newPid }] = await second.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      assert.notEqual(newPid, pid);
      assert.equal(await connections.get('main'), second, 'a usable session is kept');
    } finally {
      await connections.close();
    }
  });
});
