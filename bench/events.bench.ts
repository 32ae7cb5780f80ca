// Issue 11: the event pipeline's scan after one edit of a 1,000-task project, against a full re-read of the same
// project in the same run (the reader alone, no diff: the floor a scan without its read cache would sit on), and
// the event store's appends per second with two writer processes (each one append at a time, so every append
// takes the lock), against one writer alone in the same run. The issue sets no goals: times and ratios.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readSimoneProject } from '../src/core/simone/readProject';
import { Workspace } from '../src/core/workspace';
import { EngineServices } from '../src/runners/engineServices';
import { EventPipeline } from '../src/runners/events/eventPipeline';
import { TempWorkspace } from '../test/support/tempWorkspace';
import { median, type BenchRow } from './benchRow';

const TASKS = 1000;
const SPRINTS = 10;
const EDITS = 15;
const APPENDS = 300;

function project(): TempWorkspace {
  const files: Record<string, string> = { '.simone/02_REQUIREMENTS/M01_Bench/M01_milestone_meta.md': '---\nmilestone_id: M01\ntitle: Bench\nstatus: active\n---\n' };
  for (let sprint = 1; sprint <= SPRINTS; sprint++) {
    const s = `S${String(sprint).padStart(2, '0')}`;
    files[`.simone/03_SPRINTS/${s}_M01_Bench/${s}_sprint_meta.md`] = `---\nsprint_sequence_id: ${s}\nmilestone_id: M01\ntitle: Sprint ${sprint}\nstatus: active\n---\n`;
    for (let task = 1; task <= TASKS / SPRINTS; task++) {
      const id = `T${String(task).padStart(3, '0')}_${s}`;
      files[`.simone/03_SPRINTS/${s}_M01_Bench/${id}_Task.md`] = `---\ntask_id: ${id}\ntitle: Task ${task} of sprint ${sprint}\nstatus: open\ncomplexity: medium\nlast_updated: 2026-01-01T00:00:00Z\n---\n\n# Task\n\n${'Some notes. '.repeat(20)}\n`;
    }
  }
  return new TempWorkspace(files);
}

async function scanAfterOneEdit(): Promise<BenchRow[]> {
  const workspace = project();
  const services = new EngineServices();
  const loaded = Workspace.load({ workspace: workspace.root, processEnv: {} });
  const pipeline = new EventPipeline({ folder: workspace.root, workspace: () => loaded, services });
  try {
    await pipeline.scan(); // the snapshot
    await pipeline.scan(); // warm
    const scans: number[] = [];
    const rereads: number[] = [];
    for (let edit = 1; edit <= EDITS; edit++) {
      const s = `S${String(edit % SPRINTS || SPRINTS).padStart(2, '0')}`;
      const id = `T${String(edit).padStart(3, '0')}_${s}`;
      workspace.write(`.simone/03_SPRINTS/${s}_M01_Bench/${id}_Task.md`, `---\ntask_id: ${id}\ntitle: Task ${edit}\nstatus: done\n---\n`);
      let start = performance.now();
      const scanned = await pipeline.scan();
      scans.push(performance.now() - start);
      if (!scanned.ok || scanned.events.length !== 1) throw new Error(`events bench: a scan after one edit gave ${scanned.events.length} events (${scanned.error?.message ?? 'ok'})`);
      start = performance.now();
      const reread = readSimoneProject(workspace.path('.simone'));
      rereads.push(performance.now() - start);
      if (reread.tasks.length !== TASKS) throw new Error(`events bench: the re-read found ${reread.tasks.length} tasks`);
    }
    const scan = Math.round(median(scans) * 10) / 10;
    const reread = Math.round(median(rereads) * 10) / 10;
    return [
      { name: `events: full re-read of a ${TASKS}-task project (baseline)`, value: reread, unit: 'ms' },
      { name: `events: scan after one edit, ${TASKS} tasks`, value: scan, unit: 'ms' },
      { name: 'events: scan after one edit vs full re-read', value: Math.round((reread / scan) * 10) / 10, unit: 'x' },
    ];
  } finally {
    pipeline.dispose();
    await services.dispose();
    workspace.dispose();
  }
}

function writer(folder: string): { child: ChildProcess; next: () => Promise<{ ready?: boolean; ms?: number }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../test/support/eventsChild.ts'), 'paced', folder, String(APPENDS), 'T001'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return { child, next: async () => JSON.parse(String((await lines.next()).value)) };
}

/** Appends per second of `count` writer processes started together, each appending APPENDS events one at a time. */
async function appendRate(count: number): Promise<number> {
  const folder = mkdtempSync(join(tmpdir(), 'simone-events-bench-'));
  try {
    const writers = Array.from({ length: count }, () => writer(folder));
    await Promise.all(writers.map((one) => one.next()));
    const start = performance.now();
    for (const one of writers) one.child.stdin!.write('go\n');
    await Promise.all(writers.map((one) => one.next()));
    return Math.round((count * APPENDS) / ((performance.now() - start) / 1000));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export default async function eventsBench(): Promise<BenchRow[]> {
  const rows = await scanAfterOneEdit();
  const one = await appendRate(1);
  const two = await appendRate(2);
  rows.push(
    { name: 'events: appends per second, one writer (baseline)', value: one, unit: 'ops/s' },
    { name: 'events: appends per second, two writer processes', value: two, unit: 'ops/s' },
    { name: 'events: two writers vs one', value: Math.round((two / one) * 100) / 100, unit: 'x' },
  );
  return rows;
}
