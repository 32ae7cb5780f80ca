import { Workspace, type LoadOptions } from '../core/workspace';
import type { CommandIO } from './usage';

/** The workspace a command works on; its secret values are masked in everything the command prints from here on. */
export function loadWorkspace(io: CommandIO, options: Pick<LoadOptions, 'paths' | 'workspace'>): Workspace {
  const workspace = Workspace.load({ ...options, cwd: io.cwd, processEnv: io.env });
  io.secrets.add(workspace.secrets());
  return workspace;
}
