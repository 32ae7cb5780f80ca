// Sync runner: a 1,000,000-row table with 1% of rows changed, incremental against full replace on the same real
// PostgreSQL server in the same run, and the peak memory (RSS) of a child process syncing 100,000 and 1,000,000 rows.
// The source is another database (two connections), so the incremental sync stages its key/hash pairs with COPY;
// "full replace" is the runner's own `mode: full`. Both timings include opening the connections.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { syncIntegration } from '../src/runners/sync/runSync';
import { startPostgres } from '../test/support/postgres';
import { integrationFromYaml } from '../test/support/integrationFromYaml';
import type { BenchRow } from './benchRow';

const ROWS = Number(process.env.SYNC_BENCH_ROWS ?? 1_000_000);
const SMALL = Math.round(ROWS / 10);

function childSync(config: string, folder: string): Promise<{ maxRssKb: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'test', 'support', 'syncChild.ts'), config, folder, '5000'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let last = '';
    child.stdout.on('data', (chunk: Buffer) => {
      last = (last + chunk).split('\n').slice(-2).join('\n');
    });
    child.on('exit', (code) => {
      const line = last.split('\n').find((text) => text.includes('maxRssKb'));
      if (code !== 0 || !line) return reject(new Error(`sync child failed (${code}): ${last}`));
      resolve({ maxRssKb: (JSON.parse(line) as { maxRssKb: number }).maxRssKb, ms: performance.now() - started });
    });
  });
}

export default async function syncBench(): Promise<BenchRow[]> {
  const server = await startPostgres();
  const folder = mkdtempSync(join(tmpdir(), 'simone-sync-bench-'));
  try {
    const sourceUrl = await server.createDatabase('bench_source');
    const source = new Client({ connectionString: sourceUrl });
    await source.connect();
    await source.query('CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL, price numeric(10,2), quantity integer, updated_at timestamptz)');
    await source.query(`INSERT INTO items SELECT g, 'item ' || g, (g % 1000) * 1.25, g % 97, timestamptz '2025-01-01' + g * interval '1 second' FROM generate_series(1, ${ROWS}) g`);
    await source.query(`CREATE TABLE items_small AS SELECT * FROM items WHERE id <= ${SMALL}; ALTER TABLE items_small ADD PRIMARY KEY (id); ANALYZE items; ANALYZE items_small`);

    const yaml = (name: string, syncTables: string) =>
      `integration:\n  name: ${name}\n  type: database\n  timeout: 60s\n  connections:\n    - { name: target, type: postgresql, url: "${server.url}" }\n    - { name: source, type: postgresql, url: "${sourceUrl}" }\n  sync_tables:\n${syncTables}\n`;
    const write = (name: string, text: string) => {
      writeFileSync(join(folder, `${name}.yaml`), text);
      return join(folder, `${name}.yaml`);
    };
    // Peak memory: first syncs (every row streamed and written) in child processes.
    const small = await childSync(write('small', yaml('bench_small', '    - { source: source.items_small, target: items_small }')), folder);
    const large = await childSync(write('large', yaml('bench_inc', '    - { source: source.items, target: items_inc }')), folder);

    const incremental = integrationFromYaml('database', yaml('bench_inc', '    - { source: source.items, target: items_inc }'));
    const full = integrationFromYaml('database', yaml('bench_full', '    - { source: source.items, target: items_full, mode: full }'));
    // Each timed run starts on a settled server: the previous step's million written rows are vacuumed and
    // checkpointed first. Otherwise the run shares the disk and CPU with that step's checkpoint (WAL-forced, spread
    // over ~25 s) and autovacuum, which cost the short incremental run more than a second on this machine.
    const settle = async () => {
      for (const database of [server.database, 'bench_source']) await server.admin('VACUUM ANALYZE', database);
      await server.admin('CHECKPOINT');
    };
    const timed = async (model: typeof full) => {
      await settle();
      const started = performance.now();
      const result = await syncIntegration(model, { projectFolder: folder });
      const table = result.tables[0];
      if (!table.ok) throw new Error(table.error.message);
      return { ms: performance.now() - started, table };
    };
    await timed(full);
    const changed = Math.round(ROWS / 100);
    await source.query(`UPDATE items SET quantity = quantity + 1 WHERE id % 100 = 7`);
    await source.end();
    const inc = await timed(incremental);
    if (inc.table.updated !== changed) throw new Error(`expected ${changed} updates, got ${inc.table.updated}`);
    // The run is to read only the rows written since the last one (the mark): comparing every row is another path.
    if (inc.table.rowsCompared !== changed) throw new Error(`expected the ${changed} changed rows to be compared, ${inc.table.rowsCompared} were`);
    const replace = await timed(full);
    const ratio = replace.ms / inc.ms;
    const mb = (kb: number) => Math.round(kb / 1024);
    return [
      { name: `sync: first load of ${ROWS} rows (child process)`, value: Math.round(large.ms), unit: 'ms' },
      { name: `sync: incremental, ${ROWS} rows, 1% changed`, value: Math.round(inc.ms), unit: 'ms' },
      { name: `sync: full replace, ${ROWS} rows`, value: Math.round(replace.ms), unit: 'ms' },
      { name: 'sync: incremental vs full replace (speed-up)', value: Number(ratio.toFixed(1)), unit: 'x', goal: '>= 10x', met: ratio >= 10 },
      { name: `sync: peak RSS, first sync of ${SMALL} rows`, value: mb(small.maxRssKb), unit: 'MB', goal: '< 250 MB', met: small.maxRssKb < 250 * 1024 },
      { name: `sync: peak RSS, first sync of ${ROWS} rows`, value: mb(large.maxRssKb), unit: 'MB', goal: '< 250 MB, flat', met: large.maxRssKb < 250 * 1024 && large.maxRssKb < small.maxRssKb * 1.5 },
    ];
  } finally {
    await server.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}
