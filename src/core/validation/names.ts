import type { Definition, DefinitionKind } from '../workspaceIndex';
import type { Rule } from './rule';

/** Names unique across the workspace, and names unique within their integration. */
const WORKSPACE_WIDE: DefinitionKind[] = ['integration', 'queue', 'service'];
const PER_INTEGRATION: DefinitionKind[] = ['connection', 'webhook-endpoint'];

const LABEL: Partial<Record<DefinitionKind, string>> = { integration: 'Integration', queue: 'Queue', service: 'Service', connection: 'Connection', 'webhook-endpoint': 'Webhook endpoint' };

function where(other: Definition, uri: string): string {
  return other.uri === uri ? `line ${other.range.start.line + 1}` : `${other.uri}:${other.range.start.line + 1}`;
}

export const duplicateNames: Rule = {
  file({ file, index, report }) {
  const own = index.fileEntries(file.uri)?.definitions ?? [];
  // Scoped names only meet the entries of their own integration (in this file): grouped in one pass, not searched per entry.
  const scopedKey = (entry: Definition) => `${entry.kind}\0${entry.integration ?? ''}\0${entry.name}`;
  const scopedGroups = new Map<string, Definition[]>();
  for (const entry of own) {
    if (!PER_INTEGRATION.includes(entry.kind)) continue;
    const group = scopedGroups.get(scopedKey(entry));
    if (group) group.push(entry);
    else scopedGroups.set(scopedKey(entry), [entry]);
  }
  for (const entry of own) {
    const scoped = PER_INTEGRATION.includes(entry.kind);
    if (!scoped && !WORKSPACE_WIDE.includes(entry.kind)) continue;
    const same = scoped ? (scopedGroups.get(scopedKey(entry)) ?? []) : index.definitions(entry.kind, entry.name);
    if (same.length < 2) continue;
    const other = same.find((candidate) => candidate.uri !== entry.uri || candidate.range.start.line !== entry.range.start.line) ?? same[0];
    report('name-duplicate', `${LABEL[entry.kind]} name "${entry.name}" is also used at ${where(other, file.uri)}.`, entry.range);
  }
  },
};
