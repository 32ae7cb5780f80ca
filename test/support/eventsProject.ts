import { renameSync, writeFileSync, readFileSync } from 'node:fs';
import { main } from '../../src/cli/main';
import { TempWorkspace } from './tempWorkspace';

const meta = (fields: Record<string, string>) => `---\n${Object.entries(fields).map(([key, value]) => `${key}: ${value}`).join('\n')}\n---\n\n# ${fields.title ?? ''}\n`;

/** A small Simone project (a milestone with a sprint of two tasks, a general task) in a temp workspace folder. */
export function simoneProject(integrations: Record<string, string> = {}): TempWorkspace {
  const files: Record<string, string> = {
    '.simone/02_REQUIREMENTS/M01_Setup/M01_milestone_meta.md': meta({ milestone_id: 'M01', title: 'Setup', status: 'active' }),
    '.simone/03_SPRINTS/S01_M01_Basics/S01_sprint_meta.md': meta({ sprint_sequence_id: 'S01', milestone_id: 'M01', title: 'Basics', status: 'active' }),
    '.simone/03_SPRINTS/S01_M01_Basics/T01_S01_First.md': meta({ task_id: 'T01_S01', title: 'First', status: 'in_progress' }),
    '.simone/03_SPRINTS/S01_M01_Basics/T02_S01_Second.md': meta({ task_id: 'T02_S01', title: 'Second', status: 'open' }),
    '.simone/04_GENERAL_TASKS/T001_Readme.md': meta({ task_id: 'T001', title: 'Readme', status: 'open' }),
  };
  for (const [name, text] of Object.entries(integrations)) files[`.simone/integrations/${name}.yaml`] = text;
  return new TempWorkspace(files);
}

/** The scripted edits of issue 11, each a function of the workspace. */
export const edits = {
  newMilestone: (workspace: TempWorkspace) => workspace.write('.simone/02_REQUIREMENTS/M02_Reports/M02_milestone_meta.md', meta({ milestone_id: 'M02', title: 'Reports', status: 'pending' })),
  sprintCompleted: (workspace: TempWorkspace) => replaceIn(workspace.path('.simone/03_SPRINTS/S01_M01_Basics/S01_sprint_meta.md'), 'status: active', 'status: completed'),
  /** Status to done, then the file renamed to `TX01_…`: one change of one task. */
  taskDoneAndRenamed: (workspace: TempWorkspace) => {
    const from = workspace.path('.simone/03_SPRINTS/S01_M01_Basics/T01_S01_First.md');
    replaceIn(from, 'status: in_progress', 'status: done');
    renameSync(from, workspace.path('.simone/03_SPRINTS/S01_M01_Basics/TX01_S01_First.md'));
  },
};

function replaceIn(path: string, from: string, to: string): void {
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${path} has no "${from}"`);
  writeFileSync(path, text.replace(from, to));
}

/** `simone-integrations ...args --workspace <root>` in this process. */
export async function cli(workspace: TempWorkspace, env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main([...args, '--workspace', workspace.root], { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), cwd: workspace.root, env, signal: new AbortController().signal });
  return { code, stdout, stderr };
}

/** `events scan --format json`: the events as `[type, aggregate, version]`. */
export async function scanned(workspace: TempWorkspace, env: NodeJS.ProcessEnv = {}): Promise<Array<[string, string, number]>> {
  const result = await cli(workspace, env, 'events', 'scan', '--format', 'json');
  if (result.code !== 0) throw new Error(`events scan exited ${result.code}: ${result.stderr}${result.stdout}`);
  return (JSON.parse(result.stdout) as { events: Array<{ type: string; aggregate: string; version: number }> }).events.map((event) => [event.type, event.aggregate, event.version]);
}
