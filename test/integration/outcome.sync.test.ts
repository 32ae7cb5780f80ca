import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConnectionSet } from '../../src/runners/sync/connectionSet';
import { syncIntegration, type SyncOptions } from '../../src/runners/sync/runSync';
import { syncResultJson } from '../../src/runners/sync/syncResultJson';
import { integrationFromYaml } from '../support/integrationFromYaml';

/** What a webview or a log line gets: the result through JSON, which must lose nothing. */
const throughJson = <T>(value: T): T => JSON.parse(JSON.stringify(value));

describe('outcome contract: sync', { timeout: 120_000 }, () => {
  const folder = mkdtempSync(join(tmpdir(), 'simone-outcome-sync-'));
  const model = (syncTables: string) =>
    integrationFromYaml('database', `integration:\n  name: outcome\n  type: database\n  connections:\n    - { name: main, type: pglite, path: ${join(folder, 'db')} }\n  sync_tables:\n${syncTables}\n`);
  let connections: ConnectionSet;
  const sync = (syncTables: string, options: Partial<SyncOptions> = {}) => syncIntegration(model(syncTables), { projectFolder: folder, connections, ...options });

  before(async () => {
    connections = new ConnectionSet(model(''));
    const main = await connections.get('main');
    await main.query('CREATE TABLE items (id integer PRIMARY KEY, name text)');
    await main.query("INSERT INTO items SELECT g, 'item ' || g FROM generate_series(1, 5000) g");
  });
  after(async () => {
    await connections?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('a success: ok, the counts, and nothing lost through JSON', async () => {
    const result = await sync('    - { source: main.items, target: items_copy }');
    assert.equal(result.ok, true);
    assert.equal(result.error, undefined);
    const [table] = throughJson(result).tables;
    assert.ok(table.ok);
    assert.deepEqual([table.source, table.target, table.inserted, table.updated], ['main.items', 'items_copy', 5000, 0]);
    const [json] = throughJson(syncResultJson(result)).tables;
    assert.deepEqual(json.ok && [json.inserted, json.unchanged, json.rowsCompared], [5000, 0, 0]);
  });

  it('a failure: ok false, a RunnerError per table and overall, the message kept through JSON', async () => {
    const result = await sync('    - { source: main.no_such_table, target: never }\n    - { source: main.items, target: items_copy }');
    assert.equal(result.ok, false);
    const failed = throughJson(result).tables[0];
    assert.deepEqual(!failed.ok && failed.error, { kind: 'config', severity: 'error', message: 'main.no_such_table: table public.no_such_table does not exist', code: 'source' });
    assert.equal(result.tables[1].ok, true, 'the other table still ran');
    assert.deepEqual(throughJson(result).error, {
      kind: 'config',
      severity: 'error',
      message: '1 of 2 tables failed; main.no_such_table -> never: main.no_such_table: table public.no_such_table does not exist',
      code: 'source',
    });
    const [json] = throughJson(syncResultJson(result)).tables;
    assert.deepEqual(json, { ok: false, source: 'main.no_such_table', target: 'never', error: 'main.no_such_table: table public.no_such_table does not exist', errorKind: 'source' });
  });

  it('a cancel mid-run: kind cancelled in the result, not thrown, and nothing written', async () => {
    const controller = new AbortController();
    const result = await sync('    - { source: main.items, target: items_cancelled }', {
      batchSize: 500,
      signal: controller.signal,
      onEvent: (event) => event.type === 'table-progress' && event.rowsWritten > 0 && controller.abort(),
    });
    assert.equal(result.ok, false);
    const [table] = throughJson(result).tables;
    assert.deepEqual(!table.ok && table.error, { kind: 'cancelled', severity: 'warning', message: 'cancelled: sync main.items -> items_cancelled; nothing was written' });
    assert.equal(throughJson(result).error?.kind, 'cancelled');
    assert.deepEqual(throughJson(syncResultJson(result)).tables[0], { ok: false, source: 'main.items', target: 'items_cancelled', error: 'cancelled: sync main.items -> items_cancelled; nothing was written', errorKind: 'cancelled' });
    assert.deepEqual(await (await connections.get('main')).query("SELECT to_regclass('items_cancelled') IS NULL AS absent"), [{ absent: true }], 'the table created in the cancelled run is gone');
  });
});
