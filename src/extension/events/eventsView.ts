import { window, workspace, type Disposable, type LogOutputChannel, type TreeView } from 'vscode';
import type { EditorEngine } from '../engine/editorEngine';
import type { EngineHost, EngineListener } from '../engineHost';
import { ModelTreeProvider, type ModelElement } from '../tree/modelTreeProvider';
import { EventsRefresh } from './eventsRefresh';
import { EVENTS_SHOWN, EventsTreeModel, plural, type EventRow } from './eventsTreeModel';

export const EVENTS_VIEW = 'simone.events';
export const OPEN_EVENT_SOURCE_COMMAND = 'simone.openEventSource';
const UNTRUSTED_MESSAGE = 'This workspace is not trusted: project changes derive no events and nothing is sent. Trust the workspace to turn them on.';

export type EventElement = ModelElement<EventRow>;

/** The workspace's file folders, as the engine names them. */
export function fileFolders(): string[] {
  return (workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath);
}

/**
 * The Events view in the Simone container: each folder's recent events with their delivery per destination, read
 * from the engine's pipelines when they report a change and only while the view is visible (EventsRefresh); a
 * change repaints the rows it touched. Its badge counts the events with a failed delivery.
 */
export class EventsView implements EngineListener, Disposable {
  readonly model = new EventsTreeModel();
  readonly provider = new ModelTreeProvider(this.model, (item, row, element) => {
    if (row.kind === 'event' && row.target?.file) item.command = { command: OPEN_EVENT_SOURCE_COMMAND, title: 'Open Source File', arguments: [element] };
  });
  readonly view: TreeView<EventElement>;
  private readonly refresh = new EventsRefresh((folder) => void this.read(folder));
  /** Per folder, the newest read asked for: an older answer arriving late is dropped. */
  private readonly reads = new Map<string, number>();
  private readonly failedByFolder = new Map<string, number>();
  private readonly disposables: Disposable[] = [];

  constructor(
    private readonly host: EngineHost,
    private readonly log: LogOutputChannel,
  ) {
    this.view = window.createTreeView(EVENTS_VIEW, { treeDataProvider: this.provider, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.view.onDidChangeVisibility((event) => {
        this.refresh.setVisible(event.visible);
        if (event.visible) void host.get().catch(() => undefined);
      }),
      workspace.onDidChangeWorkspaceFolders(() => this.showFolders()),
    );
    if (!workspace.isTrusted) this.view.message = UNTRUSTED_MESSAGE;
    this.disposables.push(workspace.onDidGrantWorkspaceTrust(() => (this.view.message = undefined)));
    this.refresh.setVisible(this.view.visible);
    host.addListener(this);
  }

  engineLoaded(engine: EditorEngine, subscriptions: Array<{ dispose(): unknown }>): void {
    this.showFolders();
    subscriptions.push(engine.events.onDidChange((change) => this.refresh.changed(change.folder)));
  }

  /** A folder's store files changed on disk (another process, the CLI, may have appended). */
  storeChanged(folder: string): void {
    this.refresh.changed(folder);
  }

  /** Read now (after a command), visible or not. */
  readNow(folder: string): void {
    this.refresh.now([folder]);
  }

  dispose(): void {
    this.refresh.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }

  private showFolders(): void {
    const folders = fileFolders();
    this.provider.repaint(this.model.setFolders(folders));
    for (const folder of this.failedByFolder.keys()) if (!folders.includes(folder)) this.failedByFolder.delete(folder);
    for (const folder of folders) this.refresh.changed(folder);
  }

  private async read(folder: string): Promise<void> {
    const pipeline = this.host.loaded?.events.pipeline(folder);
    if (!pipeline) return;
    const ticket = (this.reads.get(folder) ?? 0) + 1;
    this.reads.set(folder, ticket);
    const entries = await pipeline.recent(EVENTS_SHOWN).catch((error: Error) => {
      this.log.warn(`events: the store of ${folder} could not be read: ${error.message}`);
      return undefined;
    });
    if (!entries || this.reads.get(folder) !== ticket) return;
    this.provider.repaint(this.model.setEvents(folder, entries));
    this.failedByFolder.set(folder, entries.filter((entry) => entry.deliveries.some((delivery) => delivery.state === 'failed')).length);
    const failed = [...this.failedByFolder.values()].reduce((sum, count) => sum + count, 0);
    this.view.badge = failed ? { value: failed, tooltip: `${plural(failed, 'event')} not delivered everywhere` } : undefined;
  }
}
