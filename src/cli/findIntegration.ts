import type { Integration, IntegrationType } from '../core/model';
import { disabledReason } from '../core/runnableIntegration';
import { didYouMean, didYouMeanText } from '../core/suggest';
import type { Workspace } from '../core/workspace';
import { UsageError } from './usage';

/**
 * The integration a command was given by name, of the type the command works
 * on and enabled; otherwise a usage error (exit 2) saying what there is. A did-you-mean
 * only offers integrations of that type: another would fail next.
 */
export function findIntegration<T extends IntegrationType>(workspace: Workspace, name: string, type: T): Extract<Integration, { type: T }> {
  const integration = workspace.integration(name);
  if (!integration) {
    const candidates = workspace.integrations().filter((candidate) => candidate.type === type);
    const hint = didYouMeanText(didYouMean(name, candidates.map((candidate) => candidate.name)));
    throw new UsageError(`no integration named "${name}" in ${workspace.folders.join(', ')}.${hint}`);
  }
  if (integration.type !== type) throw new UsageError(`"${name}" is a ${integration.type} integration, not a ${type} one`);
  const disabled = disabledReason(integration);
  if (disabled) throw new UsageError(disabled);
  return integration as Extract<Integration, { type: T }>;
}
