/**
 * Stand-ins for the parts of docs/engine-api.md that have not landed in src/core and src/runners yet, with the
 * contract's names and shapes, so that the editor codes against the contract and switching to the real ones is
 * a change of imports here. Each says what replaces it; delete it when that lands.
 */
import { EventEmitter, type Event, type IDisposable } from 'cockatiel';
import type { WebhookIntegration } from '../../core/model';
import { HealthMonitor, type HealthMonitorOptions } from '../../runners/health/healthMonitor';
import type { HealthEntry } from '../../runners/health/healthRound';
import type { HealthTarget } from '../../runners/health/healthTarget';
import type { SyncIntegrationResult } from '../../runners/sync/runSync';
import { WebhookReceiver, type ReceivedWebhook, type RejectedWebhook } from '../../runners/webhook/webhookReceiver';

/** `type:name`, as the contract's HealthMonitor keys its targets. */
export type HealthKey = `${HealthTarget['type']}:${string}`;

export function healthKey(target: Pick<HealthTarget, 'type' | 'name'>): HealthKey {
  return `${target.type}:${target.name}`;
}

export type KeyedHealthEntry = HealthEntry & { key: HealthKey };

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
