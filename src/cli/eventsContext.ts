import type { ProjectProblem } from '../core/simone/entities';
import type { Workspace } from '../core/workspace';
import type { EngineServices } from '../runners/engineServices';
import { EventPipeline } from '../runners/events/eventPipeline';
import type { StoreProblem } from '../runners/events/jsonLinesFile';
import { displayPath } from './displayPath';
import { loadWorkspace } from './loadWorkspace';
import type { CommandIO } from './usage';

/** The workspace folder of `--workspace DIR` (default the current directory), loaded, and its event pipeline. */
export function openEvents(io: CommandIO, workspaceDir: string | undefined, services: EngineServices, current?: () => Workspace): { workspace: Workspace; pipeline: EventPipeline } {
  const workspace = loadWorkspace(io, { workspace: workspaceDir ?? '.' });
  return { workspace, pipeline: new EventPipeline({ folder: workspace.folders[0], workspace: current ?? (() => workspace), services }) };
}

/** Project files not read and store lines set aside: located warnings on stderr. */
export function reportProblems(io: CommandIO, problems: ReadonlyArray<ProjectProblem | StoreProblem>): void {
  for (const problem of problems) io.stderr(`${displayPath(problem.file, io.cwd)}:${problem.line}: warning: ${problem.message}\n`);
}
