import { isScalar } from 'yaml';
import type { CodeLens, Range } from 'vscode-languageserver-types';
import type { ConfigFile } from '../core/configFile';
import { mapOf, scalarText, seqItems, stringScalar, valueOf } from '../core/yamlNodes';
import type { LanguageContext } from './context';

/** Arguments every lens command gets: the file and the integration, and for per-endpoint lenses the endpoint. */
export interface LensArguments {
  uri: string;
  integration: string;
  endpoint?: string;
}

const lens = (range: Range, title: string, command: string, args: LensArguments): CodeLens => ({ range, command: { title, command, arguments: [args] } });

/** Lenses above each integration (what can be run for its type) and above each endpoint ("Test", "Send test webhook"). */
export function codeLenses(file: ConfigFile, _ctx: LanguageContext): CodeLens[] {
  const lenses: CodeLens[] = [];
  for (const document of file.documents) {
    if (document.kind !== 'integration' || !document.body || !document.kindKey) continue;
    const integration = scalarText(valueOf(document.body, 'name'));
    if (!integration) continue;
    const args: LensArguments = { uri: file.uri, integration };
    const top = file.rangeOf(document.kindKey);
    const type = scalarText(valueOf(document.body, 'type'));
    switch (type) {
      case 'request_response': {
        const endpoints = (mapOf(valueOf(document.body, 'endpoints'))?.items ?? []).map((pair) => pair.key).filter(isScalar);
        lenses.push(endpoints.length === 1 ? lens(top, 'Test endpoint', 'simone.testEndpoint', args) : lens(top, 'Test all endpoints', 'simone.testAllEndpoints', args));
        for (const key of endpoints) lenses.push(lens(file.rangeOf(key), 'Test', 'simone.testEndpoint', { ...args, endpoint: String(key.value) }));
        break;
      }
      case 'database':
        lenses.push(lens(top, 'Run sync', 'simone.runSync', args), lens(top, 'Preview sync', 'simone.previewSync', args));
        break;
      case 'webhook':
        lenses.push(lens(top, 'Send test webhook', 'simone.sendWebhook', args));
        for (const item of seqItems(valueOf(document.body, 'endpoints'))) {
          const name = stringScalar(valueOf(mapOf(item), 'name'));
          if (name && valueOf(mapOf(item), 'url')) lenses.push(lens(file.rangeOf(name), 'Send test webhook', 'simone.sendWebhook', { ...args, endpoint: String(name.value) }));
        }
        break;
      case 'message_queue':
        lenses.push(lens(top, 'Publish message', 'simone.publishMessage', args), lens(top, 'Peek', 'simone.peekQueue', args));
        break;
    }
    lenses.push(lens(top, 'Health', 'simone.showHealth', args));
  }
  return lenses;
}
