// The editor's activation: dist/extension.js loaded and activated in a fresh Node process with an inert `vscode`
// module, against a bare extension (one command) bundled the same way, in the same run; the time from a health
// change to the tree model's update; and the size of the .vsix that vsce packages (as `npm run package` does).
// Activation is timed up to activate()'s first await (the language client's start): what VS Code waits for.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { LiveWorkspace } from '../src/core/liveWorkspace';
import { IntegrationTreeModel } from '../src/extension/tree/treeModel';
import { packageExtension } from '../test/support/codeServer';
import { healthResult } from '../src/runners/health/healthResult';
import { median, type BenchRow } from './benchRow';

const root = join(__dirname, '..');
const RUNS = 7;

function activationMs(bundle: string): number {
  const samples = Array.from({ length: RUNS }, () => Number(execFileSync(process.execPath, [join(__dirname, 'support/activate.mjs'), bundle], { encoding: 'utf8' }).trim()));
  return median(samples);
}

function bareExtension(): string {
  const folder = mkdtempSync(join(tmpdir(), 'simone-bench-bare-'));
  writeFileSync(join(folder, 'bare.ts'), "import { commands, type ExtensionContext } from 'vscode';\nexport function activate(context: ExtensionContext) { context.subscriptions.push(commands.registerCommand('bare.hello', () => undefined)); }\n");
  buildSync({ entryPoints: [join(folder, 'bare.ts')], bundle: true, platform: 'node', format: 'cjs', external: ['vscode'], outfile: join(folder, 'dist/bare.js'), logLevel: 'error' });
  return join(folder, 'dist/bare.js');
}

export default async function editorBench(): Promise<BenchRow[]> {
  const bare = activationMs(bareExtension());
  const ours = activationMs(join(root, 'dist/extension.js'));
  const rows: BenchRow[] = [
    { name: 'editor: bare extension activation (baseline)', value: Math.round(bare * 10) / 10, unit: 'ms' },
    { name: 'editor: extension activation (require + activate)', value: Math.round(ours * 10) / 10, unit: 'ms', goal: '< 100 ms', met: ours < 100 },
    { name: 'editor: activation vs bare extension', value: Math.round((ours / bare) * 10) / 10, unit: 'x' },
  ];

  // A health change reaching the tree: the model's update for one target among the example workspace's.
  const live = new LiveWorkspace({ folders: [join(root, 'examples')], processEnv: {} });
  const model = new IntegrationTreeModel();
  model.setWorkspace(live.snapshot);
  const samples: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const result = { ...healthResult({ state: i % 2 ? 'healthy' : 'unhealthy', latencyMs: i % 50, detail: `probe ${i}` }), checkedAt: new Date().toISOString() };
    const started = performance.now();
    const changed = model.setHealth('request_response:project_tracker', result);
    samples.push(performance.now() - started);
    if (changed.length === 0) throw new Error('the bench health change repainted nothing');
  }
  live.dispose();
  rows.push({ name: 'editor: health change → tree update (model, median)', value: Math.round(median(samples) * 1000) / 1000, unit: 'ms' });

  const vsix = await packageExtension();
  rows.push({ name: 'editor: .vsix size', value: Math.round(statSync(vsix).size / 1024), unit: 'KB' });
  return rows;
}
