// Runs every bench/*.bench.ts in turn, prints one table and writes bench/results/latest.json.
// Each bench file default-exports `async () => BenchRow[]`; ratios compare against a baseline run in the same process.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchRow } from './benchRow';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const files = readdirSync(__dirname).filter((file) => file.endsWith('.bench.ts') && (only.length === 0 || only.some((name) => file.includes(name)))).sort();
  const rows: BenchRow[] = [];
  for (const file of files) {
    const run = (await import(join(__dirname, file))).default as () => Promise<BenchRow[]>;
    const produced = await run();
    for (const row of produced) console.log(`${row.name.padEnd(60)} ${String(row.value).padStart(12)} ${row.unit.padEnd(8)} ${row.goal ? `goal ${row.goal}` : ''} ${row.met === undefined ? '' : row.met ? 'MET' : 'NOT MET'}`);
    rows.push(...produced);
  }
  mkdirSync(join(__dirname, 'results'), { recursive: true });
  writeFileSync(join(__dirname, 'results', 'latest.json'), JSON.stringify({ date: new Date().toISOString(), rows }, null, 2));
}

void main();
