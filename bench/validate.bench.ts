import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Lexer, parseAllDocuments } from 'yaml';
import { parseConfigFile } from '../src/core/configFile';
import { workspaceEnvironment } from '../src/core/env';
import { validateFile } from '../src/core/validation/validate';
import { Workspace } from '../src/core/workspace';
import { WorkspaceIndex } from '../src/core/workspaceIndex';
import { median, type BenchRow } from './benchRow';
import { generatedFile } from './fixtures';
import { hostileInputs, writeCorpus } from '../test/robustness/generateCorpus';

const CLI = resolve(__dirname, '../dist/cli.js');

/** `node dist/cli.js validate FILE` in a child of its own: wall time, and the child's peak RSS (reported as it exits). */
function validateInChild(path: string, preload: string): { ms: number; peakMb: number } {
  const start = performance.now();
  const run = spawnSync(process.execPath, ['--require', preload, CLI, 'validate', '--format', 'json', path], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
  const ms = performance.now() - start;
  const peak = /peak-rss-kb (\d+)/.exec(run.stderr);
  if (!peak || (run.status !== 0 && run.status !== 1)) throw new Error(`validate ${path} exited ${run.status ?? run.signal}: ${run.stderr.slice(0, 500)}`);
  return { ms, peakMb: Number(peak[1]) / 1024 };
}

/** Every hostile input of the robustness corpus through the CLI; the rows give the slowest and the hungriest. */
function hostileRows(folder: string): BenchRow[] {
  const preload = join(folder, 'peak-rss.js');
  writeFileSync(preload, "process.on('exit', () => process.stderr.write(`peak-rss-kb ${process.resourceUsage().maxRSS}\\n`));\n");
  const paths = writeCorpus(folder, hostileInputs());
  const baseline = validateInChild(join(__dirname, '../examples/.simone/integrations/project_tracker.yaml'), preload);
  const measured = [...paths].map(([name, path]) => ({ name, ...validateInChild(path, preload) }));
  const found = measured.reduce((worst, entry) => (entry.ms > worst.ms ? entry : worst));
  // One run is at the mercy of a cold cache or a busy moment: the slowest input's time is the median of three more.
  const slowest = { ...found, ms: median([0, 1, 2].map(() => validateInChild(paths.get(found.name)!, preload).ms)) };
  const hungriest = measured.reduce((worst, entry) => (entry.peakMb > worst.peakMb ? entry : worst));
  const slowestText = hostileInputs().find((input) => input.name === slowest.name)!.text;
  const parserFloorMs = timeRuns(3, () => parseAllDocuments(slowestText));
  return [
    { name: 'validate: one small example file through the CLI (process start included)', value: Number(baseline.ms.toFixed(0)), unit: 'ms' },
    { name: `validate: slowest hostile input (${slowest.name}) through the CLI (median of 3)`, value: Number(slowest.ms.toFixed(0)), unit: 'ms', goal: '< 2000 ms', met: slowest.ms < 2_000 },
    { name: `validate: the yaml package alone parsing ${slowest.name} (median)`, value: Number(parserFloorMs.toFixed(0)), unit: 'ms' },
    { name: `validate: peak RSS of the hungriest hostile input (${hungriest.name})`, value: Number(hungriest.peakMb.toFixed(0)), unit: 'MB', goal: '< 300 MB', met: hungriest.peakMb < 300 },
  ];
}

function timeRuns(runs: number, work: () => void): number {
  for (let i = 0; i < 3; i++) work(); // warm-up: JIT and caches
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    work();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

export default async function validateBench(): Promise<BenchRow[]> {
  // The child processes first, while this process is idle: its own measurements below leave garbage that its
  // collector threads work on for a while, on the cores the child would use.
  const hostileFolder = mkdtempSync(join(tmpdir(), 'simone-bench-hostile-'));
  let hostile: BenchRow[];
  try {
    hostile = hostileRows(hostileFolder);
  } finally {
    rmSync(hostileFolder, { recursive: true, force: true });
  }
  const env = workspaceEnvironment([]);
  const text = generatedFile(5000);
  const lines = text.split('\n').length;
  const fileMs = timeRuns(30, () => {
    const file = parseConfigFile('bench.yaml', text);
    validateFile(file, { index: WorkspaceIndex.of([file]), env });
  });
  // The floor under any validator built on the `yaml` package: its own parse of the same text, and its lexer alone.
  const yamlParseMs = timeRuns(30, () => parseAllDocuments(text));
  const yamlLexMs = timeRuns(30, () => {
    for (const token of new Lexer().lex(text)) void token;
  });

  const folder = mkdtempSync(join(tmpdir(), 'simone-bench-'));
  try {
    mkdirSync(join(folder, '.simone', 'integrations'), { recursive: true });
    for (let i = 0; i < 200; i++) writeFileSync(join(folder, '.simone', 'integrations', `file_${i}.yaml`), generatedFile(60, i * 10));
    const workspaceMs = timeRuns(10, () => {
      const workspace = Workspace.load({ paths: [folder] });
      const index = WorkspaceIndex.of(workspace.files);
      for (const file of workspace.files) validateFile(file, { index, env: workspace.env });
    });
    return [
      { name: `validate: one generated file of ${lines} lines (median)`, value: Number(fileMs.toFixed(2)), unit: 'ms', goal: '< 20 ms', met: fileMs < 20 },
      { name: 'validate: the yaml package alone parsing that file (median)', value: Number(yamlParseMs.toFixed(2)), unit: 'ms' },
      { name: "validate: the yaml package's lexer alone on that file (median)", value: Number(yamlLexMs.toFixed(2)), unit: 'ms' },
      { name: 'validate: generated 200-file workspace, read + validate (median)', value: Number(workspaceMs.toFixed(1)), unit: 'ms' },
      ...hostile,
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
