/**
 * What runs beside a folder's event pipeline in the editor: the subscribers (consuming the queues the subscribed
 * events go to, `command:` handlers through the editor's command runner) and the sync scheduler. Both are built from
 * the folder's integrations as they are when started, so they start again when those change. Part of the engine
 * bundle; no `vscode` here.
 */
import type { Workspace } from '../../core/workspace';
import type { EngineServices } from '../../runners/engineServices';
import type { CommandHandler } from '../../runners/events/subscriberHandler';
import { startSubscribers, type HandlerOutcome, type RunningSubscribers } from '../../runners/events/subscribers';
import { settingsFingerprint } from '../../runners/settingsFingerprint';
import { SyncScheduler, type ScheduledSyncRun } from '../../runners/sync/syncScheduler';

export interface AutomationSettings {
  /** Subscribers run (the editor's `command:` handler given); undefined: none. */
  subscribers?: { onCommand: CommandHandler };
  /** `simone.sync.schedule`. */
  syncSchedule: boolean;
}

export interface AutomationReports {
  /** The `log` handler's lines (masked by the engine). */
  log(line: string): void;
  handled(folder: string, outcome: HandlerOutcome): void;
  synced(folder: string, run: ScheduledSyncRun): void;
  /** Subscribers that cannot run (unresolved handler, no queue carries their events). */
  skipped(folder: string, skipped: RunningSubscribers['skipped']): void;
}

/** The integrations the subscribers and the scheduler are built from. */
const AUTOMATED_TYPES = new Set(['event_driven', 'message_queue', 'webhook', 'database']);

export class FolderAutomation {
  private subscribers?: RunningSubscribers;
  private scheduler?: SyncScheduler;
  private listeners: Array<{ dispose(): void }> = [];
  private fingerprint?: string;
  /** Starts and stops one after another (a stop waits for the runs in progress). */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly folder: string,
    private readonly workspace: () => Workspace,
    private readonly services: EngineServices,
    private readonly reports: AutomationReports,
  ) {}

  /** Starts, stops or restarts what the settings and the folder's integrations now ask for. */
  apply(settings: AutomationSettings): Promise<void> {
    const workspace = this.workspace();
    const integrations = workspace.integrations().filter((integration) => AUTOMATED_TYPES.has(integration.type) && workspace.folderOf(integration.source.uri) === this.folder);
    const fingerprint = settingsFingerprint(Boolean(settings.subscribers), settings.syncSchedule, ...integrations);
    if (fingerprint === this.fingerprint) return this.queue;
    this.fingerprint = fingerprint;
    return this.enqueue(async () => {
      await this.stopAll();
      if (settings.subscribers) this.startSubscribers(settings.subscribers.onCommand);
      if (settings.syncSchedule) await this.startScheduler();
    });
  }

  /** A change under the folder's `.simone/` (absolute paths): the scheduler's real_time syncs. */
  projectChanged(paths: readonly string[]): void {
    this.scheduler?.projectChanged(paths);
  }

  dispose(): Promise<void> {
    this.fingerprint = undefined;
    return this.enqueue(() => this.stopAll());
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(work, work);
    return this.queue;
  }

  private startSubscribers(onCommand: CommandHandler): void {
    const subscribers = startSubscribers({ folder: this.folder, workspace: this.workspace, services: this.services, onCommand, log: (line) => this.reports.log(line) });
    this.subscribers = subscribers;
    this.listeners.push(subscribers.onDidHandle((outcome) => this.reports.handled(this.folder, outcome)));
    if (subscribers.skipped.length) this.reports.skipped(this.folder, subscribers.skipped);
  }

  private async startScheduler(): Promise<void> {
    const scheduler = new SyncScheduler({ folder: this.folder, workspace: this.workspace, services: this.services });
    this.scheduler = scheduler;
    this.listeners.push(scheduler.onDidRun((run) => this.reports.synced(this.folder, run)));
    await scheduler.start();
  }

  private async stopAll(): Promise<void> {
    for (const listener of this.listeners.splice(0)) listener.dispose();
    const { subscribers, scheduler } = this;
    this.subscribers = undefined;
    this.scheduler = undefined;
    await Promise.allSettled([subscribers?.dispose(), scheduler?.stop()]);
  }
}
