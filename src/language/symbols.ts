import { isMap, isScalar, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { SymbolKind, type DocumentSymbol, type Range } from 'vscode-languageserver-types';
import type { ConfigFile } from '../core/configFile';
import { contentEnd } from './nodePath';
import { mapOf, pairOf, scalarItems, scalarText, seqItems, stringScalar, valueOf } from '../core/yamlNodes';

/** How each integration type shows in the outline. */
const INTEGRATION_KIND: Record<string, SymbolKind> = {
  request_response: SymbolKind.Interface,
  event_driven: SymbolKind.Event,
  message_queue: SymbolKind.Module,
  webhook: SymbolKind.Function,
  database: SymbolKind.Struct,
};

/** The outline: each document's integration (or microservices / api_gateway) with its endpoints, queues, connections, tables, publishers, subscribers, services and routes. */
export function documentSymbols(file: ConfigFile): DocumentSymbol[] {
  const symbols: DocumentSymbol[] = [];
  for (const document of file.documents) {
    const body = document.body;
    const key = document.kindKey;
    if (!body || !key || !document.kind) continue;
    const range = spanOf(file, key, body);
    if (document.kind === 'integration') {
      const type = scalarText(valueOf(body, 'type'));
      const nameNode = stringScalar(valueOf(body, 'name'));
      symbols.push({
        name: scalarText(nameNode) ?? 'integration',
        detail: type,
        kind: (type ? INTEGRATION_KIND[type] : undefined) ?? SymbolKind.Object,
        range,
        selectionRange: file.rangeOf(nameNode ?? key),
        children: integrationChildren(file, body, type),
      });
    } else if (document.kind === 'microservices') {
      const services = listed(file, body, 'services', SymbolKind.Class, (item) => ({ name: scalarText(valueOf(item, 'name')), detail: scalarText(valueOf(item, 'url')) }));
      symbols.push({ name: 'microservices', kind: SymbolKind.Namespace, range, selectionRange: file.rangeOf(key), children: services });
    } else {
      const routes = listed(file, body, 'routes', SymbolKind.Method, (item) => ({ name: scalarText(valueOf(item, 'path')), detail: arrow(scalarText(valueOf(item, 'service'))) }), 'path');
      const where = [scalarText(valueOf(body, 'host')), scalarText(valueOf(body, 'port'))].filter(Boolean).join(':');
      symbols.push({ name: 'api_gateway', detail: where || undefined, kind: SymbolKind.Namespace, range, selectionRange: file.rangeOf(key), children: routes });
    }
  }
  return symbols;
}

const arrow = (target: string | undefined): string | undefined => (target ? `→ ${target}` : undefined);

/** From a key to the end of its value. */
function spanOf(file: ConfigFile, key: Node, value: Node | null | undefined): Range {
  const start = key.range?.[0] ?? 0;
  const end = value?.range?.[1] ?? key.range?.[1] ?? start;
  return file.range(start, Math.max(start, contentEnd(file, end)));
}

function integrationChildren(file: ConfigFile, body: YAMLMap, type: string | undefined): DocumentSymbol[] {
  const events = (item: YAMLMap) => scalarItems(valueOf(item, 'events')).map((event) => String(event.value)).join(', ');
  switch (type) {
    case 'request_response':
      return (mapOf(valueOf(body, 'endpoints'))?.items ?? []).flatMap((pair) => {
        if (!isScalar(pair.key)) return [];
        const value = pair.value as Node | null;
        const url = isScalar(value) ? scalarText(value) : scalarText(valueOf(mapOf(value), 'url'));
        const method = (isMap(value) && scalarText(valueOf(value, 'method'))) || 'GET';
        return [{ name: String(pair.key.value), detail: url ? `${method} ${url}` : undefined, kind: SymbolKind.Method, range: spanOf(file, pair.key, value), selectionRange: file.rangeOf(pair.key) }];
      });
    case 'webhook':
      return listed(file, body, 'endpoints', SymbolKind.Method, (item) => ({ name: scalarText(valueOf(item, 'name')), detail: scalarText(valueOf(item, 'url')) ?? 'receive only' }));
    case 'message_queue':
      return listed(file, body, 'queues', SymbolKind.Field, (item) => ({ name: scalarText(valueOf(item, 'name')), detail: [scalarText(valueOf(item, 'exchange')), scalarText(valueOf(item, 'routing_key'))].filter(Boolean).join(' / ') || undefined }));
    case 'event_driven':
      return [
        ...listed(file, body, 'publishers', SymbolKind.Event, (item) => ({ name: scalarText(valueOf(item, 'name')), detail: `publishes ${events(item)} ${arrow(scalarText(valueOf(item, 'destination'))) ?? ''}`.trim() })),
        ...listed(file, body, 'subscribers', SymbolKind.Event, (item) => ({ name: scalarText(valueOf(item, 'name')), detail: `handles ${events(item)} ${arrow(scalarText(valueOf(item, 'handler'))) ?? ''}`.trim() })),
      ];
    case 'database':
      return [
        ...listed(file, body, 'connections', SymbolKind.Constructor, (item) => ({ name: scalarText(valueOf(item, 'name')), detail: scalarText(valueOf(item, 'type')) ?? 'pglite' })),
        ...listed(file, body, 'sync_tables', SymbolKind.Struct, (item) => ({ name: `${scalarText(valueOf(item, 'source')) ?? '?'} → ${scalarText(valueOf(item, 'target')) ?? '?'}`, detail: scalarText(valueOf(item, 'sync_frequency')) ?? 'manual' }), 'source'),
      ];
    default:
      return [];
  }
}

/** One symbol per map item of the list under `key`; the item spans the range, its `selectKey` value is what is selected. */
function listed(file: ConfigFile, body: YAMLMap, key: string, kind: SymbolKind, describe: (item: YAMLMap) => { name?: string; detail?: string }, selectKey = 'name'): DocumentSymbol[] {
  return seqItems(valueOf(body, key)).flatMap((node) => {
    const item = mapOf(node);
    if (!item) return [];
    const { name, detail } = describe(item);
    const selected: Pair<Scalar, Node | null> | undefined = pairOf(item, selectKey);
    const range = file.range(item.range?.[0] ?? 0, contentEnd(file, item.range?.[1] ?? 0));
    return [{ name: name || `(${key} item)`, detail, kind, range, selectionRange: file.rangeOf(selected?.value ?? selected?.key ?? item) }];
  });
}
