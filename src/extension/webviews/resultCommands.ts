import { record, text } from './plainData';
import type { ResultAction } from './resultModel';
import type { AnyResultView } from './resultView';

/** An editor command (package.json `contributes.commands`) with the code lenses' argument shape, `{integration, endpoint?}`. */
export interface CommandCall {
  command: string;
  argument: { integration: string; endpoint?: string };
}

/**
 * The command a result panel's button runs: the same command that made the result, on the same target, so its
 * answer comes back to this panel (one per kind+target). Apply is Run Sync, which asks before it writes.
 * Undefined when the result does not say its target (then the page shows no button).
 */
export function resultCommand(view: AnyResultView, action: ResultAction): CommandCall | undefined {
  const data = record(view.data);
  const integration = text(data?.integration);
  if (!integration) return undefined;
  const endpoint = text(data?.endpoint);
  const call = (command: string, withEndpoint = false): CommandCall | undefined => {
    if (!withEndpoint) return { command, argument: { integration } };
    return endpoint ? { command, argument: { integration, endpoint } } : undefined;
  };
  if (action === 'apply') return view.kind === 'sync' && data?.dryRun === true ? call('simone.runSync') : undefined;
  switch (view.kind) {
    case 'endpoint':
      return call('simone.testEndpoint', true);
    case 'endpoints':
      return call('simone.testAllEndpoints');
    case 'sync':
      return call(data?.dryRun === true ? 'simone.previewSync' : 'simone.runSync');
    case 'webhook':
      return call('simone.sendWebhook', true);
    case 'queue-publish':
      return call('simone.publishMessage');
    case 'queue-peek':
      return call('simone.peekQueue');
    case 'receiver':
      return undefined;
  }
}
