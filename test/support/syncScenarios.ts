/**
 * The sync runner's cases, written once and run against each backend (a real PostgreSQL server, PGlite):
 * test/integration/sync.postgres.test.ts and sync.pglite.test.ts call `syncScenarios` with their backend.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { DatabaseIntegration } from '../../src/core/model';
import type { RunEvent } from '../../src/runners/runEvents';
import { ConnectionSet } from '../../src/runners/sync/connectionSet';
import { databaseHealth } from '../../src/runners/sync/databaseHealth';
import { lockSync } from '../../src/runners/sync/syncLock';
import { syncIntegration, type SyncIntegrationResult, type SyncOptions, type SyncTableResult } from '../../src/runners/sync/runSync';
import { syncTarget } from '../../src/runners/sync/syncTableNames';
import { integrationFromYaml } from './integrationFromYaml';

export interface SyncBackend {
  /** A `connections:` list item (YAML, indented 4) for a fresh database of this backend. */
  connection(name: string): Promise<string>;
  /** A connection that cannot connect, and the secret in it that must never be shown. */
  badConnection(name: string): { yaml: string; secret?: string };
  stop(): Promise<void>;
}

const task = (id: string, status: string, extra = '') => `---\ntask_id: ${id}\ntitle: Task ${id}\nstatus: ${status}\ncomplexity: low\n${extra}---\n\n# ${id}\n`;

function counts(table: SyncIntegrationResult['tables'][number]) {
  if (!table.ok) throw new Error(`${table.source}: ${table.error.message}`);
  const { inserted, updated, deleted, unchanged, deletesIgnored } = table;
  return { inserted, updated, deleted, unchanged, deletesIgnored };
}

/** `sessions`: two connections are two sessions (PostgreSQL); PGlite has one session per database. */
export function syncScenarios(label: string, sessions: boolean, startBackend: () => Promise<SyncBackend>): void {
  describe(`sync runner on ${label}`, { timeout: 300_000 }, () => {
    let backend: SyncBackend;
    let connectionsYaml: string;
    let connections: ConnectionSet;
    const root = mkdtempSync(join(tmpdir(), 'simone-sync-'));
    const project = join(root, 'project');
    let counter = 0;

    const writeTask = (path: string, content: string) => {
      mkdirSync(dirname(join(project, '.simone', path)), { recursive: true });
      writeFileSync(join(project, '.simone', path), content);
    };
    const integration = (syncTables: string, connectionList = connectionsYaml): DatabaseIntegration =>
      integrationFromYaml('database', `integration:\n  name: sync_${++counter}\n  type: database\n  timeout: 5s\n  connections:\n${connectionList}\n  sync_tables:\n${syncTables}`);
    const sync = (model: DatabaseIntegration, options: Partial<SyncOptions> & { connections?: ConnectionSet | null } = {}) =>
      syncIntegration(model, { projectFolder: project, ...options, connections: options.connections === null ? undefined : (options.connections ?? connections) });
    const query = async <Row = Record<string, unknown>>(connection: string, sql: string, params?: unknown[]) => (await connections.get(connection)).query<Row>(sql, params);
    /** Row versions of a table: unchanged xmin means the row was not written. */
    const versions = async (table: string) => (await query<{ id: string; xmin: string }>('main', `SELECT id::text AS id, xmin::text AS xmin FROM ${table} ORDER BY id`)).map((row) => `${row.id}@${row.xmin}`);

    before(async () => {
      backend = await startBackend();
      connectionsYaml = `${await backend.connection('main')}\n${await backend.connection('src')}`;
      connections = new ConnectionSet(integration(''));
      writeTask('03_SPRINTS/S01_M01_One/S01_sprint_meta.md', '---\nsprint_sequence_id: S01\nmilestone_id: M01\nstatus: active\n---\n');
      writeTask('03_SPRINTS/S01_M01_One/T01_S01_A.md', task('T01_S01', 'open'));
      writeTask('03_SPRINTS/S01_M01_One/T02_S01_B.md', task('T02_S01', 'in_progress', 'estimate: 3\n'));
      writeTask('04_GENERAL_TASKS/T001_C.md', task('T001', 'open', 'labels: [docs, ci]\n'));
      // A source table of 20,000 rows in the second database.
      await query('src', 'CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL, price numeric(10,2), tags text[], created timestamptz, kind text)');
      await query('src', `INSERT INTO items SELECT g, 'item ' || g, g * 1.5, ARRAY['t' || (g % 3)], timestamptz '2025-01-01 00:00:00+00' + g * interval '1 minute', CASE WHEN g % 2 = 0 THEN 'even' ELSE 'odd' END FROM generate_series(1, 20000) g`);
    });
    after(async () => {
      await connections?.close();
      await backend?.stop();
      rmSync(root, { recursive: true, force: true });
    });

    it('first sync writes every task, typed, in the connection schema; a second sync writes nothing', async () => {
      const model = integration('    - { source: tasks, target: tasks_first }');
      const first = await sync(model);
      assert.deepEqual(counts(first.tables[0]), { inserted: 3, updated: 0, deleted: 0, unchanged: 0, deletesIgnored: 0 });
      const rows = await query<Record<string, unknown>>('main', 'SELECT id, sprint_id, status, done, file_path, estimate, labels FROM tasks_first ORDER BY id');
      assert.deepEqual(rows.map((row) => [row.id, row.sprint_id, row.status, row.done]), [['T001', null, 'open', false], ['T01_S01', 'S01', 'open', false], ['T02_S01', 'S01', 'in_progress', false]]);
      assert.equal(rows[0].file_path, '.simone/04_GENERAL_TASKS/T001_C.md');
      assert.equal(Number(rows[2].estimate), 3, 'a numeric front matter field becomes a bigint column');
      assert.deepEqual(rows[0].labels, ['docs', 'ci'], 'a list becomes jsonb');
      const beforeVersions = await versions('tasks_first');
      const state = await query<{ n: string; at: string }>('main', 'SELECT count(*)::text AS n, max(synced_at)::text AS at FROM _simone_sync_state WHERE sync_id LIKE $1', [`${model.name}:%`]);
      const second = await sync(model);
      assert.deepEqual(counts(second.tables[0]), { inserted: 0, updated: 0, deleted: 0, unchanged: 3, deletesIgnored: 0 });
      assert.deepEqual(await versions('tasks_first'), beforeVersions, 'no row was rewritten');
      assert.deepEqual(await query('main', 'SELECT count(*)::text AS n, max(synced_at)::text AS at FROM _simone_sync_state WHERE sync_id LIKE $1', [`${model.name}:%`]), state);
    });

    it('one changed task gives exactly one update; a deleted task follows each delete policy; dry run matches the real run', async () => {
      const model = integration('    - { source: tasks, target: tasks_keep, delete: ignore }\n    - { source: tasks, target: tasks_mirror, delete: propagate }');
      await sync(model);
      const mirrorBefore = await versions('tasks_mirror');
      writeTask('03_SPRINTS/S01_M01_One/T02_S01_B.md', task('T02_S01', 'done', 'estimate: 3\n'));
      const changed = await sync(model);
      assert.deepEqual(counts(changed.tables[1]), { inserted: 0, updated: 1, deleted: 0, unchanged: 2, deletesIgnored: 0 });
      const mirrorAfter = await versions('tasks_mirror');
      assert.equal(mirrorAfter.filter((version) => !mirrorBefore.includes(version)).length, 1, 'exactly one row rewritten');
      assert.deepEqual(await query('main', "SELECT status FROM tasks_mirror WHERE id = 'T02_S01'"), [{ status: 'done' }]);

      // Now: one task deleted, one added, one changed. The dry run must classify as the real run does, and write nothing.
      unlinkSync(join(project, '.simone/04_GENERAL_TASKS/T001_C.md'));
      writeTask('04_GENERAL_TASKS/T002_D.md', task('T002', 'open'));
      writeTask('03_SPRINTS/S01_M01_One/T01_S01_A.md', task('T01_S01', 'in_progress'));
      const keepBefore = await versions('tasks_keep');
      const mirrorBeforeDry = await versions('tasks_mirror');
      const dry = await sync(model, { dryRun: true });
      assert.deepEqual(await versions('tasks_keep'), keepBefore);
      assert.deepEqual(await versions('tasks_mirror'), mirrorBeforeDry);
      const mirrorDry = dry.tables[1] as SyncTableResult;
      assert.deepEqual(mirrorDry.samples?.deleted, ['T001']);
      assert.equal(mirrorDry.samples?.inserted[0].id, 'T002');
      assert.deepEqual(mirrorDry.samples?.updated, [{ key: 'T01_S01', changed: { status: { from: 'open', to: 'in_progress' } } }]);
      const real = await sync(model);
      assert.deepEqual(real.tables.map(counts), dry.tables.map(counts));
      assert.deepEqual(counts(real.tables[0]), { inserted: 1, updated: 1, deleted: 0, unchanged: 1, deletesIgnored: 1 });
      assert.deepEqual(counts(real.tables[1]), { inserted: 1, updated: 1, deleted: 1, unchanged: 1, deletesIgnored: 0 });
      assert.deepEqual((await query<{ id: string }>('main', 'SELECT id FROM tasks_keep ORDER BY id')).map((row) => row.id), ['T001', 'T002', 'T01_S01', 'T02_S01'], 'ignore keeps the row');
      assert.deepEqual((await query<{ id: string }>('main', 'SELECT id FROM tasks_mirror ORDER BY id')).map((row) => row.id), ['T002', 'T01_S01', 'T02_S01'], 'propagate deletes it');
      assert.deepEqual(counts((await sync(model)).tables[1]), { inserted: 0, updated: 0, deleted: 0, unchanged: 3, deletesIgnored: 0 });
    });

    it('an unreadable Simone file stops a full rewrite and a propagating sync, and is a warning for an incremental one', async () => {
      const model = integration('    - { source: tasks, target: unreadable_full, mode: full }\n    - { source: tasks, target: unreadable_mirror, delete: propagate }\n    - { source: tasks, target: unreadable_keep }');
      await sync(model);
      const rowsBefore = await versions('unreadable_full');
      const path = '04_GENERAL_TASKS/T002_D.md';
      const good = readFileSync(join(project, '.simone', path), 'utf8');
      writeTask(path, '---\ntask_id: [unclosed\n---\n');
      try {
        const result = await sync(model);
        for (const table of result.tables.slice(0, 2)) assert.ok(!table.ok && table.error.code === 'source' && /cannot be read/.test(table.error.message), JSON.stringify(table));
        assert.deepEqual(await versions('unreadable_full'), rowsBefore, 'the full rewrite did not run');
        const kept = result.tables[2] as SyncTableResult;
        assert.ok(kept.warnings?.some((warning) => warning.includes('T002_D.md')), JSON.stringify(kept));
        assert.equal(counts(kept).deleted, 0);
      } finally {
        writeTask(path, good);
      }
    });

    it('syncs a table from another connection with columns and filter, exact types, then only what changed', async () => {
      const model = integration('    - { source: src.items, target: shop.even_items, connection: main, columns: { id: id, name: label, price: price, tags: tags, created: created }, filter: { kind: even } }');
      const first = await sync(model);
      assert.deepEqual(counts(first.tables[0]), { inserted: 10000, updated: 0, deleted: 0, unchanged: 0, deletesIgnored: 0 });
      const columns = await query<{ name: string; type: string }>('main', "SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'shop.even_items'::regclass AND attnum > 0 ORDER BY attnum");
      assert.deepEqual(columns, [{ name: 'id', type: 'integer' }, { name: 'label', type: 'text' }, { name: 'price', type: 'numeric(10,2)' }, { name: 'tags', type: 'text[]' }, { name: 'created', type: 'timestamp with time zone' }]);
      assert.deepEqual(await query('main', "SELECT label, price::text AS price, tags::text AS tags, created = timestamptz '2025-01-01 00:04:00+00' AS exact FROM shop.even_items WHERE id = 4"), [{ label: 'item 4', price: '6.00', tags: '{t1}', exact: true }]);
      await query('src', "UPDATE items SET name = 'renamed' WHERE id = 10");
      await query('src', 'UPDATE items SET kind = $1 WHERE id = 12', ['odd']);
      await query('src', "INSERT INTO items VALUES (20002, 'new', 1, '{}', now(), 'even')");
      const second = await sync(model);
      // id 12 no longer matches the filter: gone from the source as the sync sees it (kept: delete is ignore).
      assert.deepEqual(counts(second.tables[0]), { inserted: 1, updated: 1, deleted: 0, unchanged: 9998, deletesIgnored: 1 });
      assert.deepEqual(await query('main', 'SELECT label FROM shop.even_items WHERE id = 10'), [{ label: 'renamed' }]);
    });

    it('a source in the target session (INSERT … SELECT) and one on another connection (COPY or batches) classify alike', async () => {
      const create = `CREATE TABLE eq_items (id integer PRIMARY KEY, name text, price numeric(10,2), tags text[], note text);
        INSERT INTO eq_items SELECT g, 'item ' || g, g * 0.5, ARRAY['t' || (g % 4)], CASE WHEN g % 3 = 0 THEN E'tab\\there, new\\nline, back\\\\slash' END FROM generate_series(1, 3000) g`;
      for (const connection of ['main', 'src']) for (const statement of create.split(';')) await query(connection, statement);
      const model = integration(
        '    - { source: main.eq_items, target: eq_local, delete: propagate }\n    - { source: src.eq_items, target: eq_remote, delete: propagate, filter: { note: [null, "x"] } }\n    - { source: main.eq_items, target: eq_local_filtered, delete: propagate, filter: { note: [null, "x"] } }',
      );
      const first = await sync(model);
      assert.deepEqual(first.tables.map(counts)[0], { inserted: 3000, updated: 0, deleted: 0, unchanged: 0, deletesIgnored: 0 });
      assert.deepEqual(counts(first.tables[1]), counts(first.tables[2]));
      const change = ["UPDATE eq_items SET price = price + 1 WHERE id % 50 = 1", 'DELETE FROM eq_items WHERE id % 300 = 2', "INSERT INTO eq_items VALUES (5001, 'new', 1, '{}', 'x'), (5002, 'hidden', 1, '{}', 'filtered out')", "UPDATE eq_items SET note = 'x' WHERE id = 3"];
      for (const connection of ['main', 'src']) for (const statement of change) await query(connection, statement);
      const dry = await sync(model, { dryRun: true });
      const real = await sync(model);
      assert.deepEqual(real.tables.map(counts), dry.tables.map(counts), 'the dry run classifies as the real run');
      assert.deepEqual(counts(real.tables[0]), { inserted: 2, updated: 61, deleted: 10, unchanged: 2929, deletesIgnored: 0 });
      assert.deepEqual(counts(real.tables[1]), counts(real.tables[2]), 'same table, same filter: same classification on either path');
      const [remote, local] = [dry.tables[1], dry.tables[2]] as SyncTableResult[];
      assert.deepEqual(remote.samples, local.samples);
      assert.deepEqual(remote.samples?.updated[0], { key: '1', changed: { price: { from: '0.50', to: '1.50' } } });
      const content = (table: string) => query('main', `SELECT id, name, price::text, tags::text, note FROM ${table} ORDER BY id`);
      assert.deepEqual(await content('eq_remote'), await content('eq_local_filtered'));
      assert.deepEqual((await content('eq_local')).length, 2992);
      assert.deepEqual(counts(real.tables[1]), { inserted: 2, updated: 40, deleted: 10, unchanged: 1950, deletesIgnored: 0 });
      assert.deepEqual(counts((await sync(model)).tables[1]), { inserted: 0, updated: 0, deleted: 0, unchanged: 1992, deletesIgnored: 0 });
    });

    it('a key that is not unique stops the sync with its value, and writes nothing', async () => {
      for (const connection of ['main', 'src']) {
        await query(connection, 'CREATE TABLE dup_items (code text, n integer)');
        await query(connection, "INSERT INTO dup_items VALUES ('a', 1), ('b', 2)");
      }
      const model = integration('    - { source: main.dup_items, target: dup_local, key: [code] }\n    - { source: src.dup_items, target: dup_remote, key: [code] }');
      await sync(model);
      for (const connection of ['main', 'src']) await query(connection, "INSERT INTO dup_items VALUES ('b', 3)");
      const result = await sync(model);
      for (const table of result.tables) assert.ok(!table.ok && /key "b" appears more than once/.test(table.error.message), JSON.stringify(table));
      assert.deepEqual(await query('main', 'SELECT code, n FROM dup_remote ORDER BY code'), [{ code: 'a', n: 1 }, { code: 'b', n: 2 }]);
    });

    it('reads only the rows written since the last run, and compares every row when the counts or the config say so', async () => {
      await query('src', 'CREATE TABLE tracked (id integer PRIMARY KEY, name text, n integer)');
      await query('src', "INSERT INTO tracked SELECT g, 'row ' || g, g FROM generate_series(1, 1000) g");
      // One integration name throughout: the same sync, whose config changes below.
      const model = (columns = '') => integrationFromYaml('database', `integration:\n  name: tracked_sync\n  type: database\n  connections:\n${connectionsYaml}\n  sync_tables:\n    - { source: src.tracked, target: tracked, delete: propagate${columns} }\n`);
      const run = async (config = model()) => {
        const [table] = (await sync(config)).tables;
        return { ...counts(table), rowsCompared: (table as SyncTableResult).rowsCompared };
      };
      assert.equal((await run()).inserted, 1000);
      assert.deepEqual(await run(), { inserted: 0, updated: 0, deleted: 0, unchanged: 1000, deletesIgnored: 0, rowsCompared: 0 });

      await query('src', 'UPDATE tracked SET n = n + 1 WHERE id IN (1, 2, 3)');
      await query('src', "INSERT INTO tracked VALUES (1001, 'new', 0)");
      const changed = await run();
      assert.deepEqual(changed, { inserted: 1, updated: 3, deleted: 0, unchanged: 997, deletesIgnored: 0, rowsCompared: 4 }, 'only the 4 rows written since were read');

      // A delete leaves no row to read: the counts do not add up, so every row is compared.
      await query('src', 'DELETE FROM tracked WHERE id = 10');
      assert.deepEqual(await run(), { inserted: 0, updated: 0, deleted: 1, unchanged: 1000, deletesIgnored: 0, rowsCompared: 1000 });

      // New `columns` change every row's hash though no row was written: a mark of another reading is not used.
      const renamed = model(', columns: { id: id, name: label, n: n }');
      assert.deepEqual(await run(renamed), { inserted: 0, updated: 1000, deleted: 0, unchanged: 0, deletesIgnored: 0, rowsCompared: 1000 });
      assert.deepEqual(await query('main', 'SELECT label FROM tracked WHERE id = 1001'), [{ label: 'new' }]);

      // A mark from the source's future (a copy restored to an earlier point) is not used.
      await query('main', "UPDATE _simone_sync_marks SET xid = (xid::bigint + 1000)::text WHERE sync_id LIKE 'tracked_sync:%'");
      await query('src', 'UPDATE tracked SET n = n + 1 WHERE id = 2');
      assert.deepEqual(await run(renamed), { inserted: 0, updated: 1, deleted: 0, unchanged: 999, deletesIgnored: 0, rowsCompared: 1000 });

      if (sessions) {
        // A change not yet committed when a run starts is invisible to it, and is still read by the next run.
        const writer = new ConnectionSet(integration(''));
        try {
          let commit!: () => void;
          let written!: () => void;
          const updated = new Promise<void>((resolve) => (written = resolve));
          const transaction = (await writer.get('src')).transaction(async (session) => {
            await session.query('UPDATE tracked SET n = -1 WHERE id = 500');
            written();
            await new Promise<void>((release) => (commit = release));
          });
          await updated;
          // A later transaction that ends first: the server's next id moves past the one still running.
          await query('src', 'CREATE TABLE tracked_other (n integer)');
          assert.equal((await run(renamed)).updated, 0);
          commit();
          await transaction;
          const after = await run(renamed);
          assert.equal(after.updated, 1);
          assert.ok(after.rowsCompared < 1000, `read ${after.rowsCompared} rows`);
          assert.deepEqual(await query('main', 'SELECT n FROM tracked WHERE id = 500'), [{ n: -1 }]);
        } finally {
          await writer.close();
        }
      }
    });

    it('a parent table compares every row: swapping its child tables writes no row but changes what it shows', async () => {
      await query('src', 'CREATE TABLE parent (id integer PRIMARY KEY, v text)');
      await query('src', 'CREATE TABLE child_a (id integer PRIMARY KEY, v text) INHERITS (parent)');
      await query('src', 'CREATE TABLE child_b (id integer PRIMARY KEY, v text)');
      await query('src', "INSERT INTO child_a SELECT g, 'a' FROM generate_series(1, 10) g");
      await query('src', "INSERT INTO child_b SELECT g, 'b' FROM generate_series(11, 20) g");
      const model = integration('    - { source: src.parent, target: parent_copy, delete: propagate }');
      await sync(model);
      await query('src', 'ALTER TABLE child_a NO INHERIT parent');
      await query('src', 'ALTER TABLE child_b INHERIT parent');
      assert.deepEqual(counts((await sync(model)).tables[0]), { inserted: 10, updated: 0, deleted: 10, unchanged: 0, deletesIgnored: 0 });
      assert.deepEqual(await query('main', 'SELECT min(id) AS low, max(id) AS high FROM parent_copy'), [{ low: 11, high: 20 }]);
    });

    it('a dry run of an entry fed by an earlier entry says why it has nothing to read yet; the real run does both', async () => {
      await query('src', 'CREATE TABLE chain_src (id integer PRIMARY KEY, name text)');
      await query('src', "INSERT INTO chain_src SELECT g, 'row ' || g FROM generate_series(1, 50) g");
      const model = integration('    - { source: src.chain_src, target: chain_copy, connection: main }\n    - { source: main.chain_copy, target: chain_second, connection: main }');
      const dry = await sync(model, { dryRun: true });
      assert.equal(counts(dry.tables[0]).inserted, 50);
      const second = dry.tables[1];
      assert.ok(!second.ok && /does not exist \(a dry run writes nothing: "src\.chain_src -> chain_copy" above fills it on a real run\)/.test(second.error.message), JSON.stringify(second));
      const real = await sync(model);
      assert.deepEqual(real.tables.map((table) => counts(table).inserted), [50, 50]);
      assert.deepEqual((await sync(model, { dryRun: true })).tables.map((table) => counts(table).unchanged), [50, 50]);
    });

    it('cancelled while reading the source: nothing written, the connections stay usable', async () => {
      const model = integration('    - { source: src.eq_items, target: eq_cancel_remote }\n    - { source: main.eq_items, target: eq_cancel_local }');
      await sync(model);
      for (const connection of ['main', 'src']) await query(connection, 'UPDATE eq_items SET name = name || $1 WHERE id % 7 = 0', ['!']);
      const controller = new AbortController();
      const reads: number[] = [];
      const cancelled = await sync(model, {
        signal: controller.signal,
        batchSize: 100,
        onEvent: (event) => {
          if (event.type === 'table-progress' && event.rowsRead > 0) {
            reads.push(event.rowsRead);
            controller.abort();
          }
        },
      });
      assert.ok(reads.length > 0, 'progress reported rows read');
      for (const table of cancelled.tables) assert.ok(!table.ok && table.error.kind === 'cancelled' && table.error.code === undefined, JSON.stringify(table));
      for (const table of ['eq_cancel_remote', 'eq_cancel_local']) assert.deepEqual(await query('main', `SELECT count(*)::int AS n FROM ${table} WHERE name LIKE '%!'`), [{ n: 0 }]);
      const [{ n: changed }] = await query<{ n: number }>('src', 'SELECT count(*)::int AS n FROM eq_items WHERE id % 7 = 0');
      const after = await sync(model);
      assert.deepEqual(after.tables.map((table) => counts(table).updated), [changed, changed]);
    });

    it('a sync killed (SIGKILL) mid-apply leaves the target as it was, and the next run completes', async () => {
      const model = `    - { source: src.items, target: killed_items }`;
      const config = join(root, `kill-${label}.yaml`);
      writeFileSync(config, `integration:\n  name: killed\n  type: database\n  connections:\n${connectionsYaml}\n  sync_tables:\n${model}\n`);
      // PGlite opens a data folder in one process at a time: hand it over to the child.
      if (!sessions) await connections.close();
      const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'syncChild.ts'), config, project, '500'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      const killedAt = await new Promise<number>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk;
          for (const line of output.split('\n').slice(0, -1)) {
            const progress = JSON.parse(line) as { rowsWritten?: number };
            if ((progress.rowsWritten ?? 0) > 0 && child.exitCode === null && !child.killed) {
              child.kill('SIGKILL');
              resolve(progress.rowsWritten ?? 0);
            }
          }
        });
        child.on('exit', () => reject(new Error(`child ended before it was killed: ${output}`)));
      });
      await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once('exit', resolve)));
      assert.equal(child.signalCode, 'SIGKILL');
      assert.ok(killedAt > 0 && killedAt < 20000, `killed after ${killedAt} rows were written`);
      if (!sessions) connections = new ConnectionSet(integration(''));
      assert.deepEqual(await query('main', "SELECT to_regclass('killed_items') IS NULL AS absent"), [{ absent: true }], 'the table created in the killed transaction is gone too');
      assert.deepEqual(await query('main', "SELECT count(*)::int AS n FROM _simone_sync_state WHERE sync_id LIKE 'killed:%'"), [{ n: 0 }]);
      const next = await sync(integrationFromYaml('database', `integration:\n  name: killed\n  type: database\n  connections:\n${connectionsYaml}\n  sync_tables:\n${model}\n`));
      assert.deepEqual(counts(next.tables[0]), { inserted: 20001, updated: 0, deleted: 0, unchanged: 0, deletesIgnored: 0 });
      assert.deepEqual(await query('main', 'SELECT count(*)::int AS n FROM killed_items'), [{ n: 20001 }]);
    });

    it('two runs of the same sync at once do not interleave: one writes, the other then finds nothing to do', async () => {
      const model = integration('    - { source: src.items, target: concurrent_items }');
      // PostgreSQL: two sessions and the advisory lock; PGlite: one session, which runs one transaction at a time.
      const [a, b] = sessions
        ? await Promise.all([sync(model, { connections: null }), sync(model, { connections: null })])
        : await Promise.all([sync(model), sync(model)]);
      const both = [counts(a.tables[0]), counts(b.tables[0])].sort((x, y) => y.inserted - x.inserted);
      assert.deepEqual(both, [
        { inserted: 20001, updated: 0, deleted: 0, unchanged: 0, deletesIgnored: 0 },
        { inserted: 0, updated: 0, deleted: 0, unchanged: 20001, deletesIgnored: 0 },
      ]);
      assert.deepEqual(await query('main', 'SELECT count(*)::int AS n FROM concurrent_items'), [{ n: 20001 }]);
    });

    // Only a backend with two sessions can hold the lock while another run asks for it
    // (PGlite has one session: a second run waits for the first, as the test above shows).
    if (sessions) it('a run that cannot get the lock in time says it is busy and writes nothing', async () => {
      const model = integration('    - { source: src.items, target: busy_items }');
      const holder = new ConnectionSet(model);
      try {
        const main = await holder.get('main');
        await main.transaction(async (session) => {
          await lockSync(session, syncTarget(model, model.syncTables[0], 'public').syncId, 0);
          const result = await sync(model, { connections: null, lockTimeoutMs: 200 });
          const table = result.tables[0];
          assert.ok(!table.ok && table.error.code === 'busy' && table.error.kind === 'transient', JSON.stringify(table));
        });
      } finally {
        await holder.close();
      }
      assert.deepEqual(await query('main', "SELECT to_regclass('busy_items') IS NULL AS absent"), [{ absent: true }]);
    });

    it('a front matter field added to some tasks: the table-to-table copy rewrites only the rows that hold it, plus real changes', async () => {
      const folder = join(root, 'added-column');
      const writeGeneral = (n: number, status: string, extra = '') => {
        const id = `T${String(n).padStart(3, '0')}`;
        mkdirSync(join(folder, '.simone', '04_GENERAL_TASKS'), { recursive: true });
        writeFileSync(join(folder, '.simone', '04_GENERAL_TASKS', `${id}_Task.md`), task(id, status, extra));
      };
      for (let n = 1; n <= 200; n++) writeGeneral(n, 'open');
      const model = integration('    - { source: tasks, target: ac_tasks }\n    - { source: main.ac_tasks, target: ac_copy }');
      const first = await sync(model, { projectFolder: folder });
      assert.deepEqual(first.tables.map((table) => counts(table).inserted), [200, 200]);
      const copyBefore = await versions('ac_copy');

      // 30 tasks gain a field (so both tables gain a column), 5 others really change, and one does both.
      for (let n = 1; n <= 30; n++) writeGeneral(n, n === 3 ? 'done' : 'open', 'reviewer: alice\n');
      for (let n = 101; n <= 105; n++) writeGeneral(n, 'in_progress');
      const second = await sync(model, { projectFolder: folder });
      const expected = { inserted: 0, updated: 35, deleted: 0, unchanged: 165, deletesIgnored: 0 };
      assert.deepEqual(counts(second.tables[0]), expected);
      assert.deepEqual(counts(second.tables[1]), expected, 'the copy writes exactly the rows that changed, not every row');
      assert.equal((second.tables[1] as SyncTableResult).rowsCompared, 200, 'a new column is a new reading of the source: every row is compared');
      const copyAfter = await versions('ac_copy');
      assert.equal(copyAfter.filter((version) => !copyBefore.includes(version)).length, 35, 'exactly 35 rows rewritten');
      assert.deepEqual(await query('main', "SELECT count(*)::int AS n FROM ac_copy WHERE reviewer = 'alice'"), [{ n: 30 }]);
      assert.deepEqual(counts((await sync(model, { projectFolder: folder })).tables[1]), { ...expected, updated: 0, unchanged: 200 });
    });

    it('reports table-started, table-progress and table-finished in order, the progress adding up to the result', async () => {
      await query('src', 'CREATE TABLE events_src (id integer PRIMARY KEY, name text)');
      await query('src', "INSERT INTO events_src SELECT g, 'row ' || g FROM generate_series(1, 12000) g");
      const model = integration('    - { source: src.events_src, target: events_copy }\n    - { source: src.events_missing, target: events_none }');
      const run = async () => {
        const events: RunEvent[] = [];
        const result = await sync(model, { batchSize: 5000, onEvent: (event) => events.push(event) });
        return { result, events };
      };
      const progressOf = (events: RunEvent[]) => events.flatMap((event) => (event.type === 'table-progress' ? [event] : []));
      const sequence = (events: RunEvent[]) => events.map((event) => `${event.type}${'target' in event ? ` ${event.target}` : ''}`).filter((text, index, all) => text !== all[index - 1]);

      const first = await run();
      assert.deepEqual(sequence(first.events), ['table-started events_copy', 'table-progress events_copy', 'table-finished events_copy', 'table-started events_none', 'table-finished events_none']);
      const loaded = progressOf(first.events);
      assert.deepEqual(loaded.map((event) => [event.rowsRead, event.rowsWritten, event.total]), [[0, 0, 12000], [5000, 5000, 12000], [10000, 10000, 12000], [12000, 12000, 12000]]);
      assert.equal(loaded.at(-1)?.rowsWritten, counts(first.result.tables[0]).inserted);
      assert.deepEqual(first.events.find((event) => event.type === 'table-finished'), { type: 'table-finished', source: 'src.events_src', target: 'events_copy', ok: true });
      const failed = first.result.tables[1];
      assert.ok(!failed.ok && /does not exist/.test(failed.error.message));
      assert.deepEqual(first.events.at(-1), { type: 'table-finished', source: 'src.events_missing', target: 'events_none', ok: false, error: failed.error });

      await query('src', "UPDATE events_src SET name = 'changed' WHERE id IN (1, 2, 3)");
      await query('src', "INSERT INTO events_src VALUES (12001, 'new')");
      const second = await run();
      const changed = progressOf(second.events).filter((event) => event.target === 'events_copy');
      const last = changed.at(-1);
      const { inserted, updated } = counts(second.result.tables[0]);
      assert.deepEqual([inserted, updated], [1, 3]);
      assert.deepEqual(last && [last.rowsWritten, last.total], [4, 12001], 'rows written: the changes, out of every source row');
      for (const [index, event] of changed.entries()) assert.ok(index === 0 || event.rowsWritten >= changed[index - 1].rowsWritten, 'written only grows');

      // A listener that throws is ignored: the run goes on and says what happened.
      const unbroken = await sync(model, {
        onEvent: () => {
          throw new Error('listener failed');
        },
      });
      assert.deepEqual(counts(unbroken.tables[0]), { inserted: 0, updated: 0, deleted: 0, unchanged: 12001, deletesIgnored: 0 });
    });

    it('health: connections answer, targets present, last sync time and pending Simone changes', async () => {
      const model = integration('    - { source: milestones, target: health_milestones }\n    - { source: src.items, target: health_items }');
      const missing = await databaseHealth(model, { projectFolder: project, connections });
      assert.equal(missing.state, 'degraded');
      assert.match(missing.detail, /health_milestones of milestones does not exist/);
      assert.equal(missing.tables[0].pendingChanges, 0, 'no milestone files yet');
      await sync(model);
      const healthy = await databaseHealth(model, { projectFolder: project, connections });
      assert.equal(healthy.state, 'healthy', healthy.detail);
      assert.ok(healthy.latencyMs >= 0);
      assert.ok(healthy.tables.every((table) => table.targetPresent));
      assert.ok(Date.parse(healthy.tables[1].lastSyncAt ?? '') > Date.now() - 600_000, 'the last applied change of the items sync');
      assert.equal(healthy.tables[0].lastSyncAt, undefined, 'no milestone was ever written');
      assert.equal(healthy.tables[0].pendingChanges, 0);
      assert.equal(healthy.tables[1].pendingChanges, undefined, 'not counted for a table source');
      writeTask('02_REQUIREMENTS/M01_First/M01_milestone_meta.md', '---\nmilestone_id: M01\nstatus: active\n---\n');
      assert.equal((await databaseHealth(model, { projectFolder: project, connections })).tables[0].pendingChanges, 1);
    });

    it('a bad connection gives a clear error without its secret, and changes nothing', async () => {
      const bad = backend.badConnection('broken');
      const model = integration(`    - { source: tasks, target: never_written, connection: broken }`, `${connectionsYaml}\n${bad.yaml}`);
      const result = await sync(model, { connections: null });
      const failure = result.tables[0];
      assert.ok(!failure.ok, 'the table reports an error');
      assert.equal(failure.error.code, 'connection');
      assert.match(failure.error.message, /cannot connect to "broken"/);
      if (bad.secret) assert.ok(!failure.error.message.includes(bad.secret), `no secret in: ${failure.error.message}`);
      assert.deepEqual(await query('main', "SELECT to_regclass('never_written') IS NULL AS absent"), [{ absent: true }]);
    });
  });
}
