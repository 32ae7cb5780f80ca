import { RelativePattern, workspace, type Disposable, type Uri, type WorkspaceFolder } from 'vscode';
import { isEngineWrite, isEventStorePath } from '../../runners/events/eventsFolder';


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
      if (isEventStorePath(path)) this.listener.storeChanged(folder.uri.fsPath);
      else if (!isEngineWrite(path)) this.listener.projectChanged(folder.uri.fsPath, uri.fsPath);
    };
    return [watcher, watcher.onDidCreate(changed), watcher.onDidChange(changed), watcher.onDidDelete(changed)];
  }
}
