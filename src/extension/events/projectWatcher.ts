import { RelativePattern, workspace, type Disposable, type Uri, type WorkspaceFolder } from 'vscode';
import { EVENTS_FOLDER } from '../../runners/events/eventsFolder';

/**
 * Where the engine writes under `.simone` itself: the event store and its snapshot, a sync's PGlite data. Their
 * changes are not project changes (scanning on them would loop on its own writes). `/`-separated, as
 * `asRelativePath` gives paths.
 */
const STORE_FOLDER = `${EVENTS_FOLDER.replaceAll('\\', '/')}/`;
const ENGINE_WRITES = [STORE_FOLDER, '.simone/data/'];

export interface ProjectChangeListener {
  /** A milestone, sprint, task or config file (or a folder of them, `path`, absolute) was created, changed or deleted. */
  projectChanged(folder: string, path: string): void;
  /** The event store's files changed (this window's pipeline, or another process such as the CLI). */
  storeChanged(folder: string): void;
}

/**
 * Watches each workspace folder's `.simone/` (file folders only) and says which folder changed and how. The
 * caller debounces: a renamed sprint folder reports the folder and everything in it.
 */
export class ProjectWatcher implements Disposable {
  private watchers: Disposable[] = [];
  private readonly folderListener: Disposable;

  constructor(private readonly listener: ProjectChangeListener) {
    this.watchFolders();
    this.folderListener = workspace.onDidChangeWorkspaceFolders(() => this.watchFolders());
  }

  dispose(): void {
    this.folderListener.dispose();
    for (const watcher of this.watchers) watcher.dispose();
    this.watchers = [];
  }

  private watchFolders(): void {
    for (const watcher of this.watchers) watcher.dispose();
    this.watchers = (workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').flatMap((folder) => this.watch(folder));
  }

  private watch(folder: WorkspaceFolder): Disposable[] {
    const watcher = workspace.createFileSystemWatcher(new RelativePattern(folder, '.simone/**'));
    const changed = (uri: Uri) => {
      const path = workspace.asRelativePath(uri, false);
      if (path.startsWith(STORE_FOLDER)) this.listener.storeChanged(folder.uri.fsPath);
      else if (!ENGINE_WRITES.some((prefix) => path.startsWith(prefix))) this.listener.projectChanged(folder.uri.fsPath, uri.fsPath);
    };
    return [watcher, watcher.onDidCreate(changed), watcher.onDidChange(changed), watcher.onDidDelete(changed)];
  }
}
