/**
 * The event pipelines of the editor's workspace folders (one each, opened on first use, closed with its folder),
 * and one change event for all of them. Part of the engine bundle; no `vscode` here. Untrusted, there is none:
 * nothing scans, sends or subscribes.
 */
import { EventEmitter, type Event } from 'cockatiel';
import { resolve } from 'node:path';
import type { LiveWorkspace } from '../../core/liveWorkspace';
import type { EngineServices } from '../../runners/engineServices';
import { EventPipeline, type EventsChange } from '../../runners/events/eventPipeline';

export interface FolderEventsChange extends EventsChange {
  folder: string;
}

export class EngineEvents {
  private readonly pipelines = new Map<string, { pipeline: EventPipeline; listener: { dispose(): void } }>();
  private readonly changed = new EventEmitter<FolderEventsChange>();
  /** A folder's store or a delivery changed (through its pipeline, or another process's lines were read). */
  readonly onDidChange: Event<FolderEventsChange> = this.changed.addListener;
  private readonly foldersListener: { dispose(): void };

  constructor(
    private readonly live: LiveWorkspace,
    private readonly services: EngineServices,
    private readonly trusted: boolean,
  ) {
    this.foldersListener = live.onDidChange((snapshot) => this.retain(snapshot.folders));
  }

  /** The folder's pipeline; undefined when the workspace is untrusted or the folder is not one of its folders. */
  pipeline(folder: string): EventPipeline | undefined {
    if (!this.trusted) return undefined;
    const key = resolve(folder);
    const open = this.pipelines.get(key);
    if (open) return open.pipeline;
    if (!this.live.snapshot.folders.some((candidate) => resolve(candidate) === key)) return undefined;
    const pipeline = new EventPipeline({ folder: key, workspace: () => this.live.snapshot, services: this.services });
    const listener = pipeline.onDidChange((change) => this.changed.emit({ ...change, folder: key }));
    this.pipelines.set(key, { pipeline, listener });
    return pipeline;
  }

  /** The workspace folders changed: the pipelines of folders gone are closed. */
  retain(folders: readonly string[]): void {
    const kept = new Set(folders.map((folder) => resolve(folder)));
    for (const [folder, open] of this.pipelines) {
      if (kept.has(folder)) continue;
      open.listener.dispose();
      open.pipeline.dispose();
      this.pipelines.delete(folder);
    }
  }

  dispose(): void {
    this.foldersListener.dispose();
    this.retain([]);
  }
}
