import type { Integration } from './model';
import { uriToPath } from './uris';

/**
 * Why a run asked for by name must not start: the integration says `enabled: false`. Health, events and the
 * tree skip such an integration already; a command run on one by hand is refused the same way in the CLI and
 * the editor, with where to turn it back on.
 */
export function disabledReason(integration: Integration): string | undefined {
  if (integration.enabled) return undefined;
  const where = uriToPath(integration.source.uri) ?? integration.source.uri;
  return `"${integration.name}" is disabled (enabled: false in ${where}): nothing is run`;
}
