import { SIMONE_ENTITY_SETS } from '../simoneEntitySets';
import { didYouMean, didYouMeanText } from '../suggest';
import { isAbsoluteUrl } from '../urlJoin';
import type { DefinitionKind, Reference, WorkspaceIndex } from '../workspaceIndex';
import type { Rule } from './rule';

/** What a handler string names, when it names something checkable. */
export type HandlerTarget =
  | { form: 'webhook'; integration: string; endpoint: string }
  | { form: 'queue'; queue: string }
  | { form: 'log' }
  | { form: 'command'; command: string }
  | { form: 'bare'; name: string };

export function parseHandler(handler: string): HandlerTarget {
  const webhook = /^webhook:([^/\s]+)\/(\S+)$/.exec(handler);
  if (webhook) return { form: 'webhook', integration: webhook[1], endpoint: webhook[2] };
  if (handler.startsWith('queue:')) return { form: 'queue', queue: handler.slice('queue:'.length) };
  if (handler.startsWith('command:')) return { form: 'command', command: handler.slice('command:'.length) };
  if (handler === 'log') return { form: 'log' };
  return { form: 'bare', name: handler };
}

/** Whether an integration declares a name (a lookup by name: listing every name of the kind per reference grows with the workspace). */
const declaredIn = (index: WorkspaceIndex, kind: DefinitionKind, name: string, integration: string | undefined): boolean => index.definitions(kind, name).some((entry) => entry.integration === integration);

/** The problem with one reference, or undefined when it resolves. */
export function unresolvedReason(reference: Reference, index: WorkspaceIndex): { message: string; suggestions: string[] } | undefined {
  const missing = (what: string, name: string, candidates: string[]) => {
    const suggestions = didYouMean(name, candidates);
    return { message: `${what} "${name}" is not declared in the workspace.${didYouMeanText(suggestions)}`, suggestions };
  };
  switch (reference.kind) {
    case 'destination':
      if (isAbsoluteUrl(reference.name) || reference.name.includes('${')) return undefined;
      return index.definitions('queue', reference.name).length ? undefined : missing('Queue', reference.name, index.names('queue'));
    case 'service':
      return index.definitions('service', reference.name).length ? undefined : missing('Service', reference.name, index.names('service'));
    case 'connection':
      return declaredIn(index, 'connection', reference.name, reference.integration) ? undefined : missing(`Connection`, reference.name, index.names('connection', reference.integration));
    case 'sync-source': {
      if ((SIMONE_ENTITY_SETS as readonly string[]).includes(reference.name)) return undefined;
      const dot = reference.name.indexOf('.');
      if (dot < 0) return { message: `Source "${reference.name}" is neither a Simone entity set (${SIMONE_ENTITY_SETS.join(', ')}) nor <connection>.<table>.`, suggestions: didYouMean(reference.name, SIMONE_ENTITY_SETS) };
      const connection = reference.name.slice(0, dot);
      return declaredIn(index, 'connection', connection, reference.integration) ? undefined : missing('Connection', connection, index.names('connection', reference.integration));
    }
    case 'handler':
      return handlerReason(parseHandler(reference.name), index);
    default:
      return undefined;
  }
}

function handlerReason(target: HandlerTarget, index: WorkspaceIndex): { message: string; suggestions: string[] } | undefined {
  switch (target.form) {
    case 'webhook': {
      const owners = index.definitions('integration', target.integration);
      if (owners.length === 0) {
        const suggestions = didYouMean(target.integration, index.names('integration'));
        return { message: `Integration "${target.integration}" is not declared in the workspace.${didYouMeanText(suggestions)}`, suggestions: suggestions.map((name) => `webhook:${name}/${target.endpoint}`) };
      }
      if (declaredIn(index, 'webhook-endpoint', target.endpoint, target.integration) || declaredIn(index, 'endpoint', target.endpoint, target.integration)) return undefined;
      const endpoints = [...index.names('webhook-endpoint', target.integration), ...index.names('endpoint', target.integration)];
      const suggestions = didYouMean(target.endpoint, endpoints);
      return { message: `Integration "${target.integration}" has no endpoint "${target.endpoint}".${didYouMeanText(suggestions)}`, suggestions: suggestions.map((name) => `webhook:${target.integration}/${name}`) };
    }
    case 'queue': {
      if (index.definitions('queue', target.queue).length) return undefined;
      const suggestions = didYouMean(target.queue, index.names('queue'));
      return { message: `Queue "${target.queue}" is not declared in the workspace.${didYouMeanText(suggestions)}`, suggestions: suggestions.map((name) => `queue:${name}`) };
    }
    case 'bare':
      return { message: `Handler "${target.name}" is not resolved: use webhook:<integration>/<endpoint>, queue:<queue>, log or command:<command id>.`, suggestions: [] };
    default:
      return undefined;
  }
}

export const unknownReferences: Rule = {
  file({ file, index, report }) {
  for (const reference of (index.fileEntries(file.uri)?.references ?? []).filter((entry) => entry.kind !== 'event')) {
    const reason = unresolvedReason(reference, index);
    if (reason) report('reference-unknown', reason.message, reference.range, { suggestions: reason.suggestions });
  }
  },
};

export const eventsWithoutPublisher: Rule = {
  file({ file, index, report }) {
  const published = new Set(index.names('published-event'));
  for (const reference of (index.fileEntries(file.uri)?.references ?? []).filter((entry) => entry.kind === 'event')) {
    if (published.has(reference.name)) continue;
    const suggestions = didYouMean(reference.name, published);
    report('event-no-publisher', `No publisher in the workspace emits "${reference.name}".${didYouMeanText(suggestions)}`, reference.range, { suggestions });
  }
  },
};
