/**
 * Stand-ins for the parts of docs/engine-api.md that have not landed in src/core and src/runners yet, with the
 * contract's names and shapes, so that the editor codes against the contract and switching to the real ones is
 * a change of imports here. Each says what replaces it; delete it when that lands.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EventEmitter, type Event, type IDisposable } from 'cockatiel';
import { parseConfigFile, type ConfigFile } from '../../core/configFile';
import { workspaceEnvironment, type EnvironmentLayer } from '../../core/env';
import { findIntegrationFiles, isIntegrationFile } from '../../core/integrationFiles';
import type { WebhookIntegration } from '../../core/model';
import { Workspace } from '../../core/workspace';
import { WorkspaceIndex } from '../../core/workspaceIndex';
import { HealthMonitor, type HealthMonitorOptions } from '../../runners/health/healthMonitor';
import type { HealthEntry } from '../../runners/health/healthRound';
import type { HealthTarget } from '../../runners/health/healthTarget';
import type { QueueMessage } from '../../runners/queue/queueMessage';
import type { SyncIntegrationResult } from '../../runners/sync/runSync';
import { WebhookReceiver, type ReceivedWebhook, type RejectedWebhook } from '../../runners/webhook/webhookReceiver';

/** `type:name`, as the contract's HealthMonitor keys its targets. */
export type HealthKey = `${HealthTarget['type']}:${string}`;

export function healthKey(target: Pick<HealthTarget, 'type' | 'name'>): HealthKey {
  return `${target.type}:${target.name}`;
}

export type KeyedHealthEntry = HealthEntry & { key: HealthKey };

/** A path from a `file://` URI or a path. */
function pathOf(uriOrPath: string): string {
  return uriOrPath.startsWith('file:') ? fileURLToPath(uriOrPath) : uriOrPath;
}

/** Today's Workspace with the index the contract gives it (replaced by src/core/workspace.ts's own `index`). */
export class IndexedWorkspace extends Workspace {
  private indexCache?: WorkspaceIndex;

  constructor(
    readonly version: number,
    folders: string[],
    files: ConfigFile[],
    env: ReturnType<typeof workspaceEnvironment>,
  ) {
    super(folders, files, env);
  }

  get index(): WorkspaceIndex {
    this.indexCache ??= WorkspaceIndex.of(this.files);
    return this.indexCache;
  }
}

/**
 * Stand-in for src/core/liveWorkspace.ts: integration files of the folders from disk, an open editor's text over
 * the file's, the secret storage as the first environment layer; a new snapshot on every change.
 */
export class LiveWorkspace implements IDisposable {
  private readonly changed = new EventEmitter<IndexedWorkspace>();
  readonly onDidChange: Event<IndexedWorkspace> = this.changed.addListener;
  private folders: string[];
  private layers: readonly EnvironmentLayer[] = [];
  private readonly processEnv: NodeJS.ProcessEnv;
  private readonly onDisk = new Map<string, string>();
  private readonly open = new Map<string, string>();
  private current?: IndexedWorkspace;
  private version = 0;
  private disposed = false;

  constructor(options: { folders: string[]; processEnv?: NodeJS.ProcessEnv }) {
    this.folders = [...options.folders];
    this.processEnv = options.processEnv ?? process.env;
    this.rescan();
  }

  get snapshot(): IndexedWorkspace {
    if (!this.current) {
      const texts = new Map([...this.onDisk, ...this.open]);
      const files = [...texts].sort(([a], [b]) => a.localeCompare(b)).map(([path, text]) => parseConfigFile(path, text));
      this.current = new IndexedWorkspace(++this.version, this.folders, files, workspaceEnvironment(this.folders, this.processEnv, this.layers));
    }
    return this.current;
  }

  setOpenText(uri: string, text: string, _version: number): void {
    const path = pathOf(uri);
    if (!isIntegrationFile(path) || this.open.get(path) === text) return;
    this.open.set(path, text);
    this.changedNow();
  }

  closeText(uri: string): void {
    if (this.open.delete(pathOf(uri))) this.changedNow();
  }

  /**
   * Created, changed or deleted on disk: an integration file is read again, a `.env` rebuilds the environment, a
   * `.simoneignore` or a `.simone` folder (renamed, deleted) searches the folders again; anything else is no concern.
   */
  filesChanged(paths: readonly string[]): void {
    let changed = false;
    for (const path of paths.map(pathOf)) {
      if (isIntegrationFile(path)) changed = this.reread(path) || changed;
      else if (basename(path) === '.env') changed = true;
      else if (basename(path) === '.simoneignore' || /(^|[/])\.simone([/](integrations|config))?$/.test(path)) changed = this.rescan() || changed;
    }
    if (changed) this.changedNow();
  }

  setFolders(folders: readonly string[]): void {
    this.folders = [...folders];
    this.rescan();
    this.changedNow();
  }

  setEnvironmentLayers(layers: readonly EnvironmentLayer[]): void {
    this.layers = layers;
    this.changedNow();
  }

  dispose(): void {
    this.disposed = true;
  }

  private reread(path: string): boolean {
    const text = readText(path);
    if (text === undefined) return this.onDisk.delete(path);
    if (this.onDisk.get(path) === text) return false;
    this.onDisk.set(path, text);
    return true;
  }

  /** Reads every integration file of the folders again; says whether anything changed. */
  private rescan(): boolean {
    const found = new Map<string, string>();
    for (const folder of this.folders) {
      for (const path of findIntegrationFiles(folder)) {
        const text = readText(path);
        if (text !== undefined) found.set(path, text);
      }
    }
    const same = found.size === this.onDisk.size && [...found].every(([path, text]) => this.onDisk.get(path) === text);
    this.onDisk.clear();
    for (const [path, text] of found) this.onDisk.set(path, text);
    return !same;
  }

  private changedNow(): void {
    this.current = undefined;
    if (!this.disposed) this.changed.emit(this.snapshot);
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Stand-in for the contract's HealthMonitor (`update(targets)`, `pause()`, keys, `onDidStartProbe`, `onDidRemove`)
 * over today's, which takes its targets once: an update replaces the inner monitor and keeps the results of the
 * targets still there until they are probed again.
 */
export class UpdatableHealthMonitor implements IDisposable {
  private readonly changed = new EventEmitter<KeyedHealthEntry>();
  private readonly started = new EventEmitter<{ key: HealthKey }>();
  private readonly removed = new EventEmitter<{ key: HealthKey }>();
  readonly onDidChange: Event<KeyedHealthEntry> = this.changed.addListener;
  readonly onDidStartProbe: Event<{ key: HealthKey }> = this.started.addListener;
  readonly onDidRemove: Event<{ key: HealthKey }> = this.removed.addListener;
  private targets: HealthTarget[] = [];
  private readonly latest = new Map<HealthKey, KeyedHealthEntry>();
  private inner?: { monitor: HealthMonitor; subscription: IDisposable };
  private running = false;

  constructor(private readonly options: HealthMonitorOptions) {}

  update(targets: readonly HealthTarget[]): void {
    const keys = new Set(targets.map(healthKey));
    for (const key of [...this.latest.keys()]) {
      if (keys.has(key)) continue;
      this.latest.delete(key);
      this.removed.emit({ key });
    }
    this.targets = targets.map((target) => ({
      ...target,
      probe: (signal: AbortSignal) => {
        this.started.emit({ key: healthKey(target) });
        return target.probe(signal);
      },
    }));
    this.replaceInner();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.replaceInner();
  }

  pause(): void {
    this.running = false;
    this.disposeInner();
  }

  async refresh(key?: HealthKey): Promise<void> {
    if (!this.inner) this.replaceInner();
    const target = key === undefined ? undefined : this.targets.find((candidate) => healthKey(candidate) === key);
    if (key !== undefined && !target) return;
    await this.inner!.monitor.refresh(target?.name);
  }

  results(): KeyedHealthEntry[] {
    return this.targets.flatMap((target) => this.latest.get(healthKey(target)) ?? []);
  }

  dispose(): void {
    this.running = false;
    this.disposeInner();
  }

  private replaceInner(): void {
    this.disposeInner();
    const monitor = new HealthMonitor(this.targets, this.options);
    const subscription = monitor.onDidChange((change) => {
      const entry: KeyedHealthEntry = { key: healthKey(change), name: change.name, type: change.type, result: change.result };
      this.latest.set(entry.key, entry);
      this.changed.emit(entry);
    });
    this.inner = { monitor, subscription };
    if (this.running) monitor.start();
  }

  private disposeInner(): void {
    this.inner?.subscription.dispose();
    this.inner?.monitor.dispose();
    this.inner = undefined;
  }
}

export interface ReceiverChange {
  integration: string;
  /** Where it listens; undefined once stopped. */
  url?: string;
}

/** Stand-in for EngineServices.receivers: the running webhook receivers, keyed by integration. */
export class WebhookReceivers implements IDisposable {
  private readonly running = new Map<string, { receiver: WebhookReceiver; url: string; subscriptions: IDisposable[] }>();
  private readonly changed = new EventEmitter<ReceiverChange>();
  private readonly received = new EventEmitter<ReceivedWebhook>();
  private readonly rejected = new EventEmitter<RejectedWebhook & { integration: string }>();
  readonly onDidChange: Event<ReceiverChange> = this.changed.addListener;
  readonly onDidReceive: Event<ReceivedWebhook> = this.received.addListener;
  readonly onDidReject: Event<RejectedWebhook & { integration: string }> = this.rejected.addListener;

  url(integration: string): string | undefined {
    return this.running.get(integration)?.url;
  }

  /** Listens for the integration; throws WebhookReceiverError (the port is taken, ...) with a message to show. */
  async start(integration: WebhookIntegration): Promise<string> {
    const existing = this.running.get(integration.name);
    if (existing) return existing.url;
    const receiver = new WebhookReceiver(integration);
    const subscriptions = [receiver.onDidReceive((event) => this.received.emit(event)), receiver.onDidReject((event) => this.rejected.emit({ ...event, integration: integration.name }))];
    const { url } = await receiver.start();
    this.running.set(integration.name, { receiver, url, subscriptions });
    this.changed.emit({ integration: integration.name, url });
    return url;
  }

  async stop(integration: string): Promise<void> {
    const entry = this.running.get(integration);
    if (!entry) return;
    this.running.delete(integration);
    for (const subscription of entry.subscriptions) subscription.dispose();
    await entry.receiver.stop();
    this.changed.emit({ integration });
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.running.keys()].map((name) => this.stop(name)));
  }
}

/** Stand-in for src/runners/sync/syncResultJson.ts: a table's SyncError as `{kind, message}`. */
export function syncResultJson(result: SyncIntegrationResult) {
  return {
    ...result,
    ok: result.tables.every((table) => !('error' in table)),
    tables: result.tables.map((table) => ('error' in table ? { source: table.source, target: table.target, error: { kind: table.error.kind, message: table.error.message } } : table)),
  };
}

/** Stand-in for the queue runner's JSON converter: a peeked message without its raw bytes. */
export function peekedMessageJson(message: QueueMessage) {
  return { body: message.body, ...message.properties, exchange: message.exchange, routingKey: message.routingKey, redelivered: message.redelivered };
}
