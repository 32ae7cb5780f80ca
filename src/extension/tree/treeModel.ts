/**
 * The Integrations view as plain data: every node with its label, description, icon, state, where it is defined and
 * its children, built from a workspace snapshot and what the engine reported (health, receivers, runs). No
 * `vscode` here, so it is tested without an editor; `integrationsTree.ts` turns nodes into TreeItems.
 *
 * Every change says which nodes to repaint (the topmost changed ones): a health change rebuilds and compares only
 * the nodes of the target it is about.
 */
import { basename, relative } from 'node:path';
import type { ConfigFile } from '../../core/configFile';
import type { Range } from '../../core/diagnostic';
import type { ApiGateway, Integration, IntegrationType, Microservices } from '../../core/model';
import type { Definition, DefinitionKind } from '../../core/workspaceIndex';
import { integrationSecrets, redact } from '../../runners/errors';
import { namedGateways } from '../../runners/gateway/gatewayNames';
import { checkOutcome, type HealthResult } from '../../runners/health/healthResult';
import { changedRows, topmost } from './rowChanges';
import { clip, displayState, escapeMarkdown, formatAge, formatLatency, STATE_STYLES, TYPE_ICONS, worstDisplayState, type DisplayState } from './healthPresentation';

/** What the tree reads of a workspace snapshot. */
export interface TreeWorkspace {
  readonly folders: readonly string[];
  readonly files: ReadonlyArray<Pick<ConfigFile, 'uri' | 'documents' | 'rangeOf'>>;
  integrations(): Integration[];
  microservices(): Microservices[];
  gateways(): ApiGateway[];
  folderOf(uri: string): string;
  readonly index: { definitions(kind?: DefinitionKind, name?: string): readonly Definition[] };
}

export interface NodeLocation {
  uri: string;
  range: Range;
}

/** What a command run from a node acts on. */
export interface NodeTarget {
  integration: string;
  type: IntegrationType | 'microservices' | 'api_gateway';
  endpoint?: string;
  queue?: string;
  /** A received request's time. */
  receivedAt?: string;
}

export type TreeNodeKind =
  | 'folder' | 'integration' | 'endpoint' | 'webhook-endpoint' | 'receiver' | 'received' | 'queue' | 'connection' | 'sync-table'
  | 'publisher' | 'subscriber' | 'microservices' | 'service' | 'instance' | 'gateway' | 'route';

export interface TreeNode {
  readonly id: string;
  readonly parentId?: string;
  readonly kind: TreeNodeKind;
  readonly label: string;
  readonly description?: string;
  /** A codicon id and a theme colour id. */
  readonly icon: { id: string; color?: string };
  /** Its health, where it has one of its own. */
  readonly state?: DisplayState;
  /** For `when` clauses of menus: `<kind>` or `<kind>.<type or state>`. */
  readonly contextValue: string;
  readonly location?: NodeLocation;
  readonly target?: NodeTarget;
  readonly childIds: readonly string[];
  /** Markdown, built when the editor asks (hovering). */
  tooltip(): string;
}

/** A request the running receiver verified, as the tree lists it. */
export interface ReceivedView {
  endpoint: string;
  receivedAt: string;
  /** The event name its headers give, if any. */
  event?: string;
}

export interface ReceiverView {
  /** Where it listens; undefined when stopped. */
  url?: string;
  /** Newest first. */
  received: readonly ReceivedView[];
}

/** The last run of an endpoint from the editor (a command or the Testing view). */
export interface EndpointRunView {
  ok: boolean;
  status?: number;
  attempts: number;
  durationMs: number;
  at: string;
  error?: string;
}

/** Received requests listed under a receiver. */
export const RECEIVED_SHOWN = 20;

const ROOT = '';

interface Item {
  id: string;
  folder: string;
  build(): TreeNode[];
}

function signature(node: TreeNode): string {
  return JSON.stringify([node.label, node.description, node.icon, node.state, node.contextValue, node.location, node.childIds]);
}

/** `type:name`, the health monitor's key. */
export const keyOf = (type: string, name: string) => `${type}:${name}`;

/** The health monitor's key for what a node shows (an integration, a service, a gateway). */
export function healthKeyOf(target: NodeTarget): string {
  return keyOf(target.type === 'microservices' ? 'microservice' : target.type, target.integration);
}

export class IntegrationTreeModel {
  private nodes = new Map<string, TreeNode>();
  private rootIds: string[] = [];
  private items: Item[] = [];
  private workspace?: TreeWorkspace;
  private readonly health = new Map<string, HealthResult>();
  private readonly receivers = new Map<string, ReceiverView>();
  private readonly runs = new Map<string, EndpointRunView>();
  /** Health key, receiver or run key to the items that show it. */
  private itemsByKey = new Map<string, Item[]>();

  constructor(private readonly now: () => number = Date.now) {}

  get size(): number {
    return this.nodes.size;
  }

  roots(): TreeNode[] {
    return this.rootIds.map((id) => this.nodes.get(id)!);
  }

  node(id: string): TreeNode | undefined {
    return this.nodes.get(id);
  }

  children(id: string): TreeNode[] {
    return (this.nodes.get(id)?.childIds ?? []).map((child) => this.nodes.get(child)!);
  }

  /** Where the node that shows a health target is defined (the health dashboard's links). */
  locationOf(key: string): NodeLocation | undefined {
    for (const item of this.itemsByKey.get(key) ?? []) {
      const node = this.subtree(item.id).find((candidate) => candidate.target && candidate.location && healthKeyOf(candidate.target) === key);
      if (node) return node.location;
    }
    return undefined;
  }

  /** Nodes to repaint; `''` means the whole tree. */
  setWorkspace(workspace: TreeWorkspace): string[] {
    this.workspace = workspace;
    return this.rebuildAll();
  }

  setHealth(key: string, result: HealthResult | undefined): string[] {
    if (result) this.health.set(key, result);
    else this.health.delete(key);
    return this.rebuildItems(this.itemsByKey.get(key) ?? []);
  }

  setReceiver(integration: string, view: ReceiverView | undefined): string[] {
    if (view) this.receivers.set(integration, view);
    else this.receivers.delete(integration);
    return this.rebuildItems(this.itemsByKey.get(`receiver:${integration}`) ?? []);
  }

  setEndpointRun(integration: string, endpoint: string, run: EndpointRunView): string[] {
    this.runs.set(`${integration}/${endpoint}`, run);
    return this.rebuildItems(this.itemsByKey.get(`runs:${integration}`) ?? []);
  }

  private rebuildAll(): string[] {
    const workspace = this.workspace;
    const previous = this.nodes;
    const previousRoots = this.rootIds;
    this.nodes = new Map();
    this.itemsByKey = new Map();
    this.items = workspace ? this.itemsOf(workspace) : [];
    for (const item of this.items) for (const node of this.buildItem(item)) this.nodes.set(node.id, node);
    this.rootIds = this.buildRoots(workspace);
    if (previousRoots.join('\n') !== this.rootIds.join('\n')) return [ROOT];
    return this.topmost(changedRows(previous, this.nodes.values(), signature));
  }

  private rebuildItems(items: readonly Item[]): string[] {
    const changed: string[] = [];
    for (const item of items) {
      const before = this.subtree(item.id);
      for (const node of before) this.nodes.delete(node.id);
      const byId = new Map(before.map((node) => [node.id, node]));
      for (const node of this.buildItem(item)) {
        this.nodes.set(node.id, node);
        const old = byId.get(node.id);
        if (!old || signature(old) !== signature(node)) changed.push(node.id);
      }
    }
    // A folder shows the worst state of what it holds.
    const folders = new Set(items.map((item) => `folder:${item.folder}`).filter((id) => this.nodes.has(id)));
    for (const id of folders) {
      const old = this.nodes.get(id)!;
      const updated = this.folderNode(old.id.slice('folder:'.length), old.childIds);
      this.nodes.set(id, updated);
      if (signature(old) !== signature(updated)) changed.push(id);
    }
    return this.topmost(changed);
  }

  /** An item's nodes, its own under its folder's when the workspace has several. */
  private buildItem(item: Item): TreeNode[] {
    const [top, ...rest] = item.build();
    const grouped = (this.workspace?.folders.length ?? 0) > 1;
    return [grouped ? { ...top, parentId: `folder:${item.folder}` } : top, ...rest];
  }

  private subtree(id: string): TreeNode[] {
    const node = this.nodes.get(id);
    return node ? [node, ...node.childIds.flatMap((child) => this.subtree(child))] : [];
  }

  /** Changed nodes without their changed descendants: repainting a node repaints what is below it. */
  private topmost(ids: string[]): string[] {
    return topmost(ids, (id) => this.nodes.get(id));
  }

  private buildRoots(workspace: TreeWorkspace | undefined): string[] {
    if (!workspace) return [];
    const byLabel = (a: Item, b: Item) => this.nodes.get(a.id)!.label.localeCompare(this.nodes.get(b.id)!.label) || a.id.localeCompare(b.id);
    if (workspace.folders.length <= 1) return [...this.items].sort(byLabel).map((item) => item.id);
    return workspace.folders.map((folder) => {
      const childIds = this.items.filter((item) => item.folder === folder).sort(byLabel).map((item) => item.id);
      const node = this.folderNode(folder, childIds);
      this.nodes.set(node.id, node);
      return node.id;
    });
  }

  private folderNode(folder: string, childIds: readonly string[]): TreeNode {
    const states = childIds.map((id) => this.nodes.get(id)?.state ?? 'unknown');
    const worst = worstDisplayState(states);
    const down = states.filter((state) => state === 'unhealthy' || state === 'circuit-open').length;
    const count = `${childIds.length} ${childIds.length === 1 ? 'item' : 'items'}`;
    return {
      id: `folder:${folder}`,
      kind: 'folder',
      label: basename(folder),
      description: childIds.length === 0 ? 'no integrations' : down ? `${count}, ${down} down` : count,
      icon: { id: 'folder', color: childIds.length ? STATE_STYLES[worst].color : undefined },
      contextValue: 'folder',
      childIds,
      tooltip: () => `**${escapeMarkdown(basename(folder))}**\n\n${escapeMarkdown(folder)}`,
    };
  }

  private register(key: string, item: Item): void {
    const list = this.itemsByKey.get(key);
    if (list) list.push(item);
    else this.itemsByKey.set(key, [item]);
  }

  private itemsOf(workspace: TreeWorkspace): Item[] {
    const used = new Set<string>();
    /** Ids stay unique while a name is written twice (a name-duplicate error the file shows). */
    const unique = (id: string) => {
      let candidate = id;
      for (let n = 2; used.has(candidate); n++) candidate = `${id}#${n}`;
      used.add(candidate);
      return candidate;
    };
    const items: Item[] = [];
    for (const integration of workspace.integrations()) {
      const item: Item = { id: unique(`integration:${integration.name}`), folder: workspace.folderOf(integration.source.uri), build: () => this.integrationNodes(item.id, integration, workspace) };
      this.register(keyOf(integration.type, integration.name), item);
      this.register(`receiver:${integration.name}`, item);
      this.register(`runs:${integration.name}`, item);
      items.push(item);
    }
    for (const microservices of workspace.microservices()) {
      const item: Item = { id: unique(`microservices:${microservices.source.uri}#${microservices.source.documentIndex}`), folder: workspace.folderOf(microservices.source.uri), build: () => this.microservicesNodes(item.id, microservices, workspace) };
      for (const service of microservices.services) this.register(keyOf('microservice', service.name), item);
      items.push(item);
    }
    for (const { name, gateway } of namedGateways(workspace.gateways())) {
      const item: Item = { id: unique(`gateway:${name}`), folder: workspace.folderOf(gateway.source.uri), build: () => this.gatewayNodes(item.id, name, gateway, workspace) };
      this.register(keyOf('api_gateway', name), item);
      items.push(item);
    }
    return items;
  }

  private definition(workspace: TreeWorkspace, kind: DefinitionKind, name: string, integration?: string): NodeLocation | undefined {
    const found = workspace.index.definitions(kind, name).find((entry) => integration === undefined || entry.integration === integration);
    return found && { uri: found.uri, range: found.range };
  }

  /** Where a document starts: its top-level key (`microservices:`, `api_gateway:`). */
  private documentLocation(workspace: TreeWorkspace, source: { uri: string; documentIndex: number }): NodeLocation | undefined {
    const file = workspace.files.find((candidate) => candidate.uri === source.uri);
    const document = file?.documents[source.documentIndex];
    return file && document && { uri: source.uri, range: file.rangeOf(document.kindKey) };
  }

  private where(location: NodeLocation | undefined, workspace: TreeWorkspace): string {
    if (!location) return '';
    const path = location.uri.startsWith('file:') ? decodeURIComponent(new URL(location.uri).pathname) : location.uri;
    return `\n\nDefined in \`${relative(workspace.folderOf(location.uri), path)}\`, line ${location.range.start.line + 1}`;
  }

  /** The health part of a tooltip: state, latency, when, and what the probe said. */
  private healthTooltip(result: HealthResult | undefined): string {
    if (!result) return '\n\n_Not checked yet._';
    const style = STATE_STYLES[displayState(result)];
    const checked = new Date(result.checkedAt);
    const lines = [`**${style.word}** · ${formatLatency(result.latencyMs)} · checked ${checked.toLocaleTimeString()} (${formatAge(result.checkedAt, this.now())})`, escapeMarkdown(result.detail)];
    if (result.breaker) lines.push(`Circuit breaker: ${result.breaker}`);
    return `\n\n${lines.join('\n\n')}`;
  }

  private integrationNodes(id: string, integration: Integration, workspace: TreeWorkspace): TreeNode[] {
    const result = this.health.get(keyOf(integration.type, integration.name));
    const state = displayState(result);
    const style = STATE_STYLES[state];
    const location = this.definition(workspace, 'integration', integration.name);
    const children = this.childrenOf(id, integration, workspace, result);
    const target: NodeTarget = { integration: integration.name, type: integration.type };
    const receiving = integration.type === 'webhook' && this.receivers.get(integration.name)?.url !== undefined;
    const node: TreeNode = {
      id,
      kind: 'integration',
      label: integration.name,
      description: integration.enabled ? this.integrationDescription(integration, result) : 'disabled',
      icon: { id: style.icon ?? TYPE_ICONS[integration.type], color: style.color },
      state,
      contextValue: `integration.${integration.type}${receiving ? '.receiving' : ''}`,
      location,
      target,
      childIds: children.filter((child) => child.parentId === id).map((child) => child.id),
      tooltip: () => {
        const about = integration.description ? `\n\n${escapeMarkdown(integration.description)}` : '';
        return `**${escapeMarkdown(integration.name)}** · ${integration.type}${about}${this.healthTooltip(result)}${this.where(location, workspace)}`;
      },
    };
    return [node, ...children];
  }

  /** Latency and the most telling detail: what is wrong when something is, else the breaker, depth or last sync. */
  private integrationDescription(integration: Integration, result: HealthResult | undefined): string {
    if (!result) return 'not checked yet';
    const state = displayState(result);
    if (state === 'circuit-open') return 'circuit open: calls are refused';
    if (state === 'unhealthy' || state === 'degraded') return `${STATE_STYLES[state].word} · ${clip(result.detail)}`;
    if (state === 'unknown') return clip(result.detail);
    const parts = [formatLatency(result.latencyMs)];
    if (result.breaker && result.breaker !== 'closed') parts.push(`circuit ${result.breaker}`);
    const extra = result.extra;
    if (extra?.kind === 'queues') {
      const messages = extra.queues.reduce((sum, queue) => sum + ('messageCount' in queue ? queue.messageCount : 0), 0);
      parts.push(`${messages} queued`);
    }
    if (extra?.kind === 'database') {
      const last = extra.tables.map((table) => table.lastSyncAt).filter((at): at is string => at !== undefined).sort().at(-1);
      parts.push(last ? `synced ${formatAge(last, this.now())}` : 'never synced');
    }
    if (integration.type === 'webhook' && this.receivers.get(integration.name)?.url) parts.push('receiver listening');
    return parts.join(' · ');
  }

  private childrenOf(parentId: string, integration: Integration, workspace: TreeWorkspace, result: HealthResult | undefined): TreeNode[] {
    const leaf = (node: Omit<TreeNode, 'parentId' | 'childIds'> & { childIds?: string[] }): TreeNode => ({ parentId: parentId, childIds: [], ...node });
    const secrets = integrationSecrets(integration);
    const checks = result?.extra && 'checks' in result.extra ? result.extra.checks : [];
    const checkState = (name: string): DisplayState | undefined => {
      const check = checks.find((candidate) => candidate.name === name);
      return check && (check.ok ? 'healthy' : 'unhealthy');
    };
    const base = { integration: integration.name, type: integration.type } as const;
    switch (integration.type) {
      case 'request_response':
        return integration.endpoints.map((endpoint) => {
          const run = this.runs.get(`${integration.name}/${endpoint.name}`);
          const location = this.definition(workspace, 'endpoint', endpoint.name, integration.name);
          const url = redact(endpoint.url, secrets);
          const outcome = run && `${run.status ?? 'no answer'} after ${run.attempts} attempt${run.attempts === 1 ? '' : 's'}`;
          return leaf({
            id: `${parentId}/endpoint:${endpoint.name}`,
            kind: 'endpoint',
            label: endpoint.name,
            description: [`${endpoint.method} ${url}`, outcome].filter(Boolean).join(' · '),
            icon: run ? { id: run.ok ? 'pass' : 'error', color: STATE_STYLES[run.ok ? 'healthy' : 'unhealthy'].color } : { id: 'symbol-method' },
            state: run && (run.ok ? 'healthy' : 'unhealthy'),
            contextValue: 'endpoint',
            location,
            target: { ...base, endpoint: endpoint.name },
            tooltip: () => {
              const last = run ? `\n\nLast run ${formatAge(run.at, this.now())}: ${run.ok ? 'passed' : 'failed'}, ${outcome} in ${formatLatency(run.durationMs)}${run.error ? `\n\n${escapeMarkdown(run.error)}` : ''}` : '';
              return `**${escapeMarkdown(endpoint.name)}** · ${endpoint.method} ${escapeMarkdown(url)}${last}${this.where(location, workspace)}`;
            },
          });
        });
      case 'webhook': {
        const endpoints = integration.endpoints.map((endpoint) => {
          const location = this.definition(workspace, 'webhook-endpoint', endpoint.name, integration.name);
          const state = endpoint.url ? checkState(endpoint.name) : undefined;
          const url = endpoint.url && redact(endpoint.url, secrets);
          return leaf({
            id: `${parentId}/endpoint:${endpoint.name}`,
            kind: 'webhook-endpoint',
            label: endpoint.name,
            description: url ? `out → ${url} · ${endpoint.signature}` : `in · ${endpoint.signature}`,
            icon: { id: url ? 'call-outgoing' : 'call-incoming', color: state && STATE_STYLES[state].color },
            state,
            contextValue: url ? 'webhook-endpoint.outgoing' : 'webhook-endpoint.incoming',
            location,
            target: { ...base, endpoint: endpoint.name },
            tooltip: () => `**${escapeMarkdown(endpoint.name)}** · ${url ? `sent to ${escapeMarkdown(url)}` : 'received'} · signature ${endpoint.signature}${this.where(location, workspace)}`,
          });
        });
        return [...endpoints, ...this.receiverNodes(parentId, integration, workspace)];
      }
      case 'message_queue': {
        const depths = result?.extra?.kind === 'queues' ? result.extra.queues : [];
        return integration.queues.map((queue) => {
          const depth = depths.find((candidate) => candidate.queue === queue.name);
          const state: DisplayState | undefined = depth && ('error' in depth ? 'unhealthy' : 'healthy');
          const location = this.definition(workspace, 'queue', queue.name, integration.name);
          const description = !depth ? (queue.exchange ? `${queue.exchange} (${queue.exchangeType})` : 'default exchange') : 'error' in depth ? clip(depth.error) : `${depth.messageCount} messages, ${depth.consumerCount} consumers`;
          return leaf({
            id: `${parentId}/queue:${queue.name}`,
            kind: 'queue',
            label: queue.name,
            description,
            icon: { id: 'list-unordered', color: state && STATE_STYLES[state].color },
            state,
            contextValue: 'queue',
            location,
            target: { ...base, queue: queue.name },
            tooltip: () => `**${escapeMarkdown(queue.name)}** · exchange ${escapeMarkdown(queue.exchange ?? '(default)')}, routing key ${escapeMarkdown(queue.routingKey ?? queue.name)}${queue.durable ? ', durable' : ''}\n\n${escapeMarkdown(description)}${this.where(location, workspace)}`,
          });
        });
      }
      case 'database': {
        const tables = result?.extra?.kind === 'database' ? result.extra.tables : [];
        const connections = integration.connections.map((connection) => {
          const location = this.definition(workspace, 'connection', connection.name, integration.name);
          // A connection URL is a secret place as a whole: only where a pglite folder or a host is, is shown.
          const where = connection.type === 'pglite' ? relative(workspace.folderOf(integration.source.uri), connection.path ?? '') : connection.url ? 'url' : `${connection.host ?? '127.0.0.1'}:${connection.port ?? 5432}/${connection.database ?? ''}`;
          return leaf({
            id: `${parentId}/connection:${connection.name}`,
            kind: 'connection',
            label: connection.name,
            description: `${connection.type} ${where}`,
            icon: { id: 'plug' },
            contextValue: 'connection',
            location,
            target: base,
            tooltip: () => `**${escapeMarkdown(connection.name)}** · ${connection.type} ${escapeMarkdown(where)}, schema ${escapeMarkdown(connection.schema)}${this.where(location, workspace)}`,
          });
        });
        const syncs = integration.syncTables.map((table, index) => {
          const health = tables.find((candidate) => candidate.source === table.source && candidate.target === table.target);
          const state: DisplayState | undefined = health && (health.targetPresent ? 'healthy' : 'degraded');
          const parts: string[] = [table.syncFrequency];
          if (health && !health.targetPresent) parts.push('target missing');
          if (health?.lastSyncAt) parts.push(`synced ${formatAge(health.lastSyncAt, this.now())}`);
          else if (health) parts.push('never synced');
          if (health?.pendingChanges !== undefined) parts.push(`${health.pendingChanges} pending`);
          return leaf({
            id: `${parentId}/sync:${index}`,
            kind: 'sync-table',
            label: `${table.source} → ${table.target}`,
            description: parts.join(' · '),
            icon: { id: 'table', color: state && STATE_STYLES[state].color },
            state,
            contextValue: 'sync-table',
            location: this.definition(workspace, 'integration', integration.name),
            target: base,
            tooltip: () => `**${escapeMarkdown(table.source)} → ${escapeMarkdown(table.target)}** on ${escapeMarkdown(table.connection)} · ${table.mode}, delete ${table.delete}\n\n${escapeMarkdown(parts.join(' · '))}`,
          });
        });
        return [...connections, ...syncs];
      }
      case 'event_driven': {
        const publishers = integration.publishers.map((publisher) => {
          const state = checkState(publisher.name);
          return leaf({
            id: `${parentId}/publisher:${publisher.name}`,
            kind: 'publisher',
            label: publisher.name,
            description: `${publisher.events.length} events → ${redact(publisher.destination, secrets)}`,
            icon: { id: 'megaphone', color: state && STATE_STYLES[state].color },
            state,
            contextValue: 'publisher',
            location: this.definition(workspace, 'integration', integration.name),
            target: base,
            tooltip: () => `**${escapeMarkdown(publisher.name)}** publishes ${escapeMarkdown(publisher.events.join(', '))} to ${escapeMarkdown(redact(publisher.destination, secrets))}`,
          });
        });
        const subscribers = integration.subscribers.map((subscriber) =>
          leaf({
            id: `${parentId}/subscriber:${subscriber.name}`,
            kind: 'subscriber',
            label: subscriber.name,
            description: `${subscriber.events.join(', ')} → ${subscriber.handler}`,
            icon: { id: 'bell' },
            contextValue: 'subscriber',
            location: this.definition(workspace, 'integration', integration.name),
            target: base,
            tooltip: () => `**${escapeMarkdown(subscriber.name)}** handles ${escapeMarkdown(subscriber.events.join(', '))} with ${escapeMarkdown(subscriber.handler)}`,
          }),
        );
        return [...publishers, ...subscribers];
      }
    }
  }

  private receiverNodes(parentId: string, integration: Extract<Integration, { type: 'webhook' }>, workspace: TreeWorkspace): TreeNode[] {
    const view = this.receivers.get(integration.name);
    const id = `${parentId}/receiver`;
    const settings = integration.receiver;
    const address = settings ? `${settings.host}:${settings.port}${settings.pathPrefix}` : 'a free port';
    const received = (view?.received ?? []).slice(0, RECEIVED_SHOWN).map(
      (request, index): TreeNode => ({
        id: `${id}/${request.receivedAt}#${index}`,
        parentId: id,
        kind: 'received',
        label: request.endpoint,
        description: `${request.event ?? 'delivery'} · ${new Date(request.receivedAt).toLocaleTimeString()}`,
        icon: { id: 'mail-read' },
        contextValue: 'received',
        target: { integration: integration.name, type: 'webhook', endpoint: request.endpoint, receivedAt: request.receivedAt },
        childIds: [],
        tooltip: () => `Verified delivery to **${escapeMarkdown(request.endpoint)}** at ${new Date(request.receivedAt).toLocaleString()}${request.event ? ` (${escapeMarkdown(request.event)})` : ''}`,
      }),
    );
    const listening = view?.url !== undefined;
    const node: TreeNode = {
      id,
      parentId,
      kind: 'receiver',
      label: 'receiver',
      description: listening ? `listening on ${view!.url}${view!.received.length ? ` · ${view!.received.length} received` : ''}` : `stopped · ${address}`,
      icon: { id: 'radio-tower', color: listening ? STATE_STYLES.healthy.color : undefined },
      state: listening ? 'healthy' : undefined,
      contextValue: listening ? 'receiver.running' : 'receiver.stopped',
      location: this.definition(workspace, 'integration', integration.name),
      target: { integration: integration.name, type: 'webhook' },
      childIds: received.map((child) => child.id),
      tooltip: () => (listening ? `Listening on ${escapeMarkdown(view!.url!)}: POST ${escapeMarkdown(settings?.pathPrefix ?? '/webhook')}/<endpoint>, verified by each endpoint's signature` : `Not listening. Start it to receive webhooks on ${escapeMarkdown(address)}.`),
    };
    return [node, ...received];
  }

  /** A discovered service's instances, as its health result lists them (Consul's state beside our probe's). */
  private instanceNodes(parentId: string, result: HealthResult | undefined, location: NodeLocation | undefined): TreeNode[] {
    const instances = result?.extra?.kind === 'instances' ? result.extra.instances : [];
    return instances.map((instance): TreeNode => {
      const state: DisplayState = instance.ok ? 'healthy' : instance.probe.ok || instance.consul === 'passing' ? 'degraded' : 'unhealthy';
      const probe = checkOutcome(instance.probe);
      const description = `${instance.address}:${instance.port} · consul ${instance.consul} · ${clip(probe)}`;
      return {
        id: `${parentId}/instance:${instance.id}`,
        parentId,
        kind: 'instance',
        label: instance.id,
        description,
        icon: { id: STATE_STYLES[state].icon ?? 'server', color: STATE_STYLES[state].color },
        state,
        contextValue: `instance.${instance.consul}`,
        location,
        childIds: [],
        tooltip: () => {
          const checks = instance.failingChecks.length ? `\n\nConsul checks not passing: ${escapeMarkdown(instance.failingChecks.join(', '))}` : '';
          const tags = instance.tags.length ? `\n\nTags: ${escapeMarkdown(instance.tags.join(', '))}` : '';
          return `**${escapeMarkdown(instance.id)}** on node ${escapeMarkdown(instance.node)} · ${escapeMarkdown(`${instance.address}:${instance.port}`)}\n\nConsul: ${instance.consul}${checks}\n\n${escapeMarkdown(`${instance.probe.target}: ${probe}`)}${tags}`;
        },
      };
    });
  }

  private microservicesNodes(id: string, microservices: Microservices, workspace: TreeWorkspace): TreeNode[] {
    const where = microservices.discovery?.type === 'consul' ? `consul ${microservices.discovery.host ?? '127.0.0.1'}:${microservices.discovery.port ?? 8500}` : undefined;
    const services = microservices.services.flatMap((service): TreeNode[] => {
      const result = this.health.get(keyOf('microservice', service.name));
      const state = displayState(result);
      const location = this.definition(workspace, 'service', service.name);
      const nodeId = `${id}/service:${service.name}`;
      const address = service.url ?? where ?? '';
      const instances = this.instanceNodes(nodeId, result, location);
      const serviceNode: TreeNode = {
        id: nodeId,
        parentId: id,
        kind: 'service',
        label: service.name,
        description: result ? (state === 'healthy' ? `${formatLatency(result.latencyMs)} · ${where ? `${instances.length} instances` : address}` : `${STATE_STYLES[state].word} · ${clip(result.detail)}`) : address,
        icon: { id: STATE_STYLES[state].icon ?? TYPE_ICONS.microservice, color: STATE_STYLES[state].color },
        state,
        contextValue: 'service',
        location,
        target: { integration: service.name, type: 'microservices' },
        childIds: instances.map((instance) => instance.id),
        tooltip: () => `**${escapeMarkdown(service.name)}** · ${escapeMarkdown(address)} · ${service.loadBalancer}${this.healthTooltip(result)}${this.where(location, workspace)}`,
      };
      return [serviceNode, ...instances];
    });
    const serviceNodes = services.filter((node) => node.kind === 'service');
    const states = serviceNodes.map((service) => service.state ?? 'unknown');
    const healthy = states.filter((state) => state === 'healthy').length;
    const worst = worstDisplayState(states);
    const location = this.documentLocation(workspace, microservices.source);
    const group: TreeNode = {
      id,
      kind: 'microservices',
      label: 'microservices',
      description: `${healthy} of ${serviceNodes.length} healthy · ${microservices.discovery?.type ?? 'static'} discovery`,
      icon: { id: TYPE_ICONS.microservices, color: STATE_STYLES[worst].color },
      state: worst,
      contextValue: 'microservices',
      location,
      childIds: serviceNodes.map((service) => service.id),
      tooltip: () => `**microservices** · ${serviceNodes.length} services, ${microservices.communication.type}${this.where(location, workspace)}`,
    };
    return [group, ...services];
  }

  private gatewayNodes(id: string, name: string, gateway: ApiGateway, workspace: TreeWorkspace): TreeNode[] {
    const result = this.health.get(keyOf('api_gateway', name));
    const state = displayState(result);
    const address = `${gateway.ssl ? 'https' : 'http'}://${gateway.host}:${gateway.port}`;
    const location = this.documentLocation(workspace, gateway.source);
    const routes = gateway.routes.map(
      (route, index): TreeNode => ({
        id: `${id}/route:${index}`,
        parentId: id,
        kind: 'route',
        label: route.path,
        description: `${route.methods.join(', ')} → ${route.service}`,
        icon: { id: 'arrow-right' },
        contextValue: 'route',
        location: this.definition(workspace, 'service', route.service),
        childIds: [],
        tooltip: () => `**${escapeMarkdown(route.path)}** → ${escapeMarkdown(route.service)} (${route.methods.join(', ')})`,
      }),
    );
    const node: TreeNode = {
      id,
      kind: 'gateway',
      label: name,
      description: result && state === 'healthy' ? `${formatLatency(result.latencyMs)} · ${address}` : result ? `${STATE_STYLES[state].word} · ${clip(result.detail)}` : address,
      icon: { id: STATE_STYLES[state].icon ?? TYPE_ICONS.api_gateway, color: STATE_STYLES[state].color },
      state,
      contextValue: 'gateway',
      location,
      target: { integration: name, type: 'api_gateway' },
      childIds: routes.map((route) => route.id),
      tooltip: () => `**${escapeMarkdown(name)}** · ${escapeMarkdown(address)}${gateway.authentication ? ` · ${gateway.authentication.type} authentication` : ''}${this.healthTooltip(result)}${this.where(location, workspace)}`,
    };
    return [node, ...routes];
  }
}
