import type { Scalar, YAMLMap } from 'yaml';
import { isScalar } from 'yaml';
import type { ConfigFile } from './configFile';
import type { Range } from './diagnostic';
import type { ReferenceKind } from './jsonSchema';
import { mapOf, scalarItems, scalarText, seqItems, stringScalar, valueOf } from './yamlNodes';

/** Names a workspace declares, and the places that refer to them. */
export type DefinitionKind = 'integration' | 'endpoint' | 'webhook-endpoint' | 'queue' | 'connection' | 'service' | 'published-event';

export interface IndexEntry {
  name: string;
  uri: string;
  /** The name's own node, where go-to-definition lands and rename edits. */
  range: Range;
  /** The integration that holds it (for scoped names: endpoints, connections). */
  integration?: string;
  integrationType?: string;
}

export interface Definition extends IndexEntry {
  kind: DefinitionKind;
}

export interface Reference extends IndexEntry {
  kind: ReferenceKind;
}

export interface FileIndex {
  uri: string;
  definitions: Definition[];
  references: Reference[];
}

/** Reads one file's names and references. */
export function indexFile(file: ConfigFile): FileIndex {
  const definitions: Definition[] = [];
  const references: Reference[] = [];
  const define = (kind: DefinitionKind, node: Scalar | undefined, scope?: { integration?: string; integrationType?: string }) => {
    const name = scalarText(node);
    if (node && name) definitions.push({ kind, name, uri: file.uri, range: file.rangeOf(node), ...scope });
  };
  const refer = (kind: ReferenceKind, node: Scalar | undefined, scope?: { integration?: string; integrationType?: string }) => {
    const name = scalarText(node);
    if (node && name) references.push({ kind, name, uri: file.uri, range: file.rangeOf(node), ...scope });
  };

  for (const document of file.documents) {
    const body = document.body;
    if (!body) continue;
    if (document.kind === 'integration') {
      const nameNode = stringScalar(valueOf(body, 'name'));
      const integration = scalarText(nameNode);
      const integrationType = scalarText(valueOf(body, 'type'));
      const scope = { integration, integrationType };
      define('integration', nameNode, scope);
      indexIntegration(body, integrationType, scope, define, refer);
    } else if (document.kind === 'microservices') {
      for (const service of seqItems(valueOf(body, 'services'))) define('service', stringScalar(valueOf(mapOf(service), 'name')));
    } else if (document.kind === 'api_gateway') {
      for (const route of seqItems(valueOf(body, 'routes'))) refer('service', stringScalar(valueOf(mapOf(route), 'service')));
    }
  }
  return { uri: file.uri, definitions, references };
}

type Scope = { integration?: string; integrationType?: string };

function indexIntegration(
  body: YAMLMap,
  type: string | undefined,
  scope: Scope,
  define: (kind: DefinitionKind, node: Scalar | undefined, scope?: Scope) => void,
  refer: (kind: ReferenceKind, node: Scalar | undefined, scope?: Scope) => void,
): void {
  const listOf = (key: string) => seqItems(valueOf(body, key)).map((item) => mapOf(item)).filter((item): item is YAMLMap => item !== undefined);
  switch (type) {
    case 'request_response':
      for (const pair of mapOf(valueOf(body, 'endpoints'))?.items ?? []) if (isScalar(pair.key)) define('endpoint', pair.key, scope);
      break;
    case 'webhook':
      for (const endpoint of listOf('endpoints')) define('webhook-endpoint', stringScalar(valueOf(endpoint, 'name')), scope);
      break;
    case 'message_queue':
      for (const queue of listOf('queues')) define('queue', stringScalar(valueOf(queue, 'name')), scope);
      break;
    case 'event_driven':
      for (const publisher of listOf('publishers')) {
        for (const event of scalarItems(valueOf(publisher, 'events'))) define('published-event', event, scope);
        refer('destination', stringScalar(valueOf(publisher, 'destination')), scope);
      }
      for (const subscriber of listOf('subscribers')) {
        for (const event of scalarItems(valueOf(subscriber, 'events'))) refer('event', event, scope);
        refer('handler', stringScalar(valueOf(subscriber, 'handler')), scope);
      }
      break;
    case 'database':
      for (const connection of listOf('connections')) define('connection', stringScalar(valueOf(connection, 'name')), scope);
      for (const table of listOf('sync_tables')) {
        refer('connection', stringScalar(valueOf(table, 'connection')), scope);
        refer('sync-source', stringScalar(valueOf(table, 'source')), scope);
      }
      break;
  }
}

/** Each parsed file's names, read once: workspace snapshots share the files that did not change. */
const indexedFiles = new WeakMap<ConfigFile, FileIndex>();

/** All files' names, kept per file so one file's change replaces only its own entries. */
export class WorkspaceIndex {
  private readonly files = new Map<string, FileIndex>();
  /** Entries by kind, rebuilt on the first query after a change: rules ask many times per file. */
  private byKind?: { definitions: Map<string, Definition[]>; references: Map<string, Reference[]> };

  static of(files: Iterable<ConfigFile>): WorkspaceIndex {
    const index = new WorkspaceIndex();
    for (const file of files) index.update(file);
    return index;
  }

  update(file: ConfigFile): void {
    let entries = indexedFiles.get(file);
    if (!entries) indexedFiles.set(file, (entries = indexFile(file)));
    this.files.set(file.uri, entries);
    this.byKind = undefined;
  }

  remove(uri: string): void {
    this.files.delete(uri);
    this.byKind = undefined;
  }

  private grouped(): NonNullable<WorkspaceIndex['byKind']> {
    if (!this.byKind) {
      const definitions = new Map<string, Definition[]>();
      const references = new Map<string, Reference[]>();
      const add = <T extends { kind: string; name: string }>(map: Map<string, T[]>, entry: T) => {
        for (const key of [entry.kind, `${entry.kind}\0${entry.name}`, '', `\0${entry.name}`]) {
          const list = map.get(key);
          if (list) list.push(entry);
          else map.set(key, [entry]);
        }
      };
      for (const file of this.files.values()) {
        for (const entry of file.definitions) add(definitions, entry);
        for (const entry of file.references) add(references, entry);
      }
      this.byKind = { definitions, references };
    }
    return this.byKind;
  }

  private static lookup<T>(map: Map<string, T[]>, kind: string | undefined, name: string | undefined): T[] {
    return map.get(`${kind ?? ''}${name === undefined ? '' : `\0${name}`}`) ?? [];
  }

  uris(): string[] {
    return [...this.files.keys()];
  }

  /** Definitions, all or of one kind and/or name (the arrays are shared: do not change them). */
  definitions(kind?: DefinitionKind, name?: string): readonly Definition[] {
    return WorkspaceIndex.lookup(this.grouped().definitions, kind, name);
  }

  references(kind?: ReferenceKind, name?: string): readonly Reference[] {
    return WorkspaceIndex.lookup(this.grouped().references, kind, name);
  }

  /** One file's own entries. */
  fileEntries(uri: string): FileIndex | undefined {
    return this.files.get(uri);
  }

  names(kind: DefinitionKind, integration?: string): string[] {
    const names = new Set<string>();
    for (const entry of this.definitions(kind)) if (integration === undefined || entry.integration === integration) names.add(entry.name);
    return [...names].sort();
  }
}

