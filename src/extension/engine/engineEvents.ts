/**
 * The event pipelines of the editor's workspace folders (one each, opened on first use, closed with its folder),
 * one change event for all of them, and per folder what runs beside its pipeline (subscribers, the sync
 * scheduler). Part of the engine bundle; no `vscode` here. Untrusted, there is none of it: nothing scans, sends,
 * subscribes or syncs.
 */
import { EventEmitter, type Event } from 'cockatiel';
import { resolve } from 'node:path';
import type { LiveWorkspace } from '../../core/liveWorkspace';
import type { EngineServices } from '../../runners/engineServices';
import { EventPipeline, type EventsChange } from '../../runners/events/eventPipeline';
import { FolderAutomation, type AutomationReports, type AutomationSettings } from './eventAutomation';

export interface FolderEventsChange extends EventsChange {
  folder: string;
}

/** Config edits come keystroke by keystroke; subscribers and timers start again once they pause. */
const AUTOMATION_DEBOUNCE_MS = 1000;

export class EngineEvents {
  private readonly pipelines = new Map<string, { pipeline: EventPipeline; listener: { dispose(): void } }>();
  private readonly automations = new Map<string, FolderAutomation>();
  private automation?: { settings: AutomationSettings; reports: AutomationReports };
  private automationTimer?: NodeJS.Timeout;
  private readonly changed = new EventEmitter<FolderEventsChange>();
  /** A folder's store or a delivery changed (through its pipeline, or another process's lines were read). */
  readonly onDidChange: Event<FolderEventsChange> = this.changed.addListener;
  private readonly workspaceListener: { dispose(): void };

  constructor(
    private readonly live: LiveWorkspace,
    private readonly services: EngineServices,
    private readonly trusted: boolean,
  ) {
    this.workspaceListener = live.onDidChange((snapshot) => {
      this.retain(snapshot.folders);
      if (!this.automation) return;
      clearTimeout(this.automationTimer);
      this.automationTimer = setTimeout(() => void this.applyAutomation(), AUTOMATION_DEBOUNCE_MS);
    });
  }

  /** The folder's pipeline; undefined when the workspace is untrusted or the folder is not one of its folders. */
  pipeline(folder: string): EventPipeline | undefined {
    const key = this.folderKey(folder);
    if (key === undefined) return undefined;
    const open = this.pipelines.get(key);
    if (open) return open.pipeline;
    const pipeline = new EventPipeline({ folder: key, workspace: () => this.live.snapshot, services: this.services });
    const listener = pipeline.onDidChange((change) => this.changed.emit({ ...change, folder: key }));
    this.pipelines.set(key, { pipeline, listener });
    return pipeline;
  }

  /** Subscribers and scheduled syncs as the editor's settings say, in every folder (again when its integrations change). */
  configureAutomation(settings: AutomationSettings, reports: AutomationReports): Promise<void> {
    this.automation = { settings, reports };
    return this.applyAutomation();
  }

  /** Changed paths (absolute) under a folder's `.simone/`: its real_time syncs run once the changes pause. */
  projectChanged(folder: string, paths: readonly string[]): void {
    const key = this.folderKey(folder);
    if (key !== undefined) this.automations.get(key)?.projectChanged(paths);
  }

  /** The workspace folders changed: what ran for folders gone stops. */
  retain(folders: readonly string[]): void {
    const kept = new Set(folders.map((folder) => resolve(folder)));
    for (const [folder, open] of this.pipelines) {
      if (kept.has(folder)) continue;
      open.listener.dispose();
      open.pipeline.dispose();
      this.pipelines.delete(folder);
    }
    for (const [folder, automation] of this.automations) {
      if (kept.has(folder)) continue;
      void automation.dispose();
      this.automations.delete(folder);
    }
  }

  async dispose(): Promise<void> {
    clearTimeout(this.automationTimer);
    this.automation = undefined;
    this.workspaceListener.dispose();
    const stopping = [...this.automations.values()].map((automation) => automation.dispose());
    this.retain([]);
    await Promise.allSettled(stopping);
  }

  private folderKey(folder: string): string | undefined {
    if (!this.trusted) return undefined;
    const key = resolve(folder);
    return this.live.snapshot.folders.some((candidate) => resolve(candidate) === key) ? key : undefined;
  }

  private async applyAutomation(): Promise<void> {
    const automation = this.automation;
    if (!automation || !this.trusted) return;
    const work = this.live.snapshot.folders.map((folder) => {
      const key = resolve(folder);
      let running = this.automations.get(key);
      if (!running) this.automations.set(key, (running = new FolderAutomation(key, () => this.live.snapshot, this.services, automation.reports)));
      return running.apply(automation.settings);
    });
    await Promise.allSettled(work);
  }
}
