// Runs one sync in a child process, printing each progress report as a JSON line (the crash test kills it mid-apply),
// then the result and the peak memory (the bench reads it).
import { readFileSync } from 'node:fs';
import { syncIntegration } from '../../src/runners/sync/runSync';
import { integrationFromYaml } from './integrationFromYaml';

const [configFile, projectFolder, batchSize] = process.argv.slice(2);
const integration = integrationFromYaml('database', readFileSync(configFile, 'utf8'));
syncIntegration(integration, { projectFolder, batchSize: Number(batchSize), progress: { report: (progress) => process.stdout.write(`${JSON.stringify(progress)}\n`) } }).then(
  (result) => process.stdout.write(`${JSON.stringify({ done: result.tables.map((table) => ('error' in table ? table.error.message : table.inserted)), maxRssKb: process.resourceUsage().maxRSS })}\n`),
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  },
);
