// Runs one sync in a child process, printing each table-progress event as a JSON line (the crash test kills it
// mid-apply), then the result and the peak memory (the bench reads it).
import { readFileSync } from 'node:fs';
import { syncIntegration } from '../../src/runners/sync/runSync';
import { integrationFromYaml } from './integrationFromYaml';

const [configFile, projectFolder, batchSize] = process.argv.slice(2);
const integration = integrationFromYaml('database', readFileSync(configFile, 'utf8'));
syncIntegration(integration, { projectFolder, batchSize: Number(batchSize), onEvent: (event) => event.type === 'table-progress' && process.stdout.write(`${JSON.stringify(event)}\n`) }).then(
  (result) => {
    process.stdout.write(`${JSON.stringify({ done: result.tables.map((table) => (table.ok ? table.inserted : table.error.message)), maxRssKb: process.resourceUsage().maxRSS })}\n`);
    if (!result.ok) process.exitCode = 1;
  },
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  },
);
