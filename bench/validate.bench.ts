import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lexer, parseAllDocuments } from 'yaml';
import { parseConfigFile } from '../src/core/configFile';
import { workspaceEnvironment } from '../src/core/env';
import { validateFile } from '../src/core/validation/validate';
import { Workspace } from '../src/core/workspace';
import { WorkspaceIndex } from '../src/core/workspaceIndex';
import { median, type BenchRow } from './benchRow';
import { generatedFile } from './fixtures';

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
    ];
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
