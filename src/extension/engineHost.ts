import { EventEmitter, workspace, type Disposable, type ExtensionContext, type LogOutputChannel, type TextDocument } from 'vscode';
import type { EditorEngine } from './engine/editorEngine';
import { engineSettings, readEditorSettings, SETTINGS_SECTION, type EditorSettings } from './editorSettings';
import type { SecretVariables } from './secretVariables';

type EngineModule = typeof import('./engine/editorEngine');

/** Typing is fast; one workspace snapshot per pause is enough. */
const TEXT_DEBOUNCE_MS = 300;
/** File events come in bursts (a checkout, a save of several files). */
const FILE_DEBOUNCE_MS = 200;
/**
 * What the live workspace reads from disk. A folder renamed or deleted reports only the folder, so the folders
 * themselves are watched too; nothing else under `.simone` (a sync's PGlite data changes all the time).
 */
const WATCHED = ['**/.simone/{integrations,config}/*.{yaml,yml}', '**/.simone', '**/.simone/{integrations,config}', '**/.env', '**/.simoneignore'];

export interface EngineListener {
  /** A new engine (first load, or trust granted): subscribe to it here, into `subscriptions`. */
  engineLoaded(engine: EditorEngine, subscriptions: Array<{ dispose(): unknown }>): void;
}

/**
 * Loads the engine bundle (dist/engine.js) on first use and keeps its live workspace in step with the editor:
 * open documents (their unsaved text wins), files on disk, workspace folders, stored secrets, settings and trust.
 * Untrusted, the engine still reads the files (the tree lists them) but runs and probes nothing.
 */
export class EngineHost implements Disposable {
  private engine?: EditorEngine;
  private loading?: Promise<EditorEngine>;
  private readonly listeners: EngineListener[] = [];
  private readonly engineSubscriptions: Array<{ dispose(): unknown }> = [];
  private readonly disposables: Disposable[] = [];
  private readonly pendingTexts = new Map<string, NodeJS.Timeout>();
  private pendingFiles = new Set<string>();
  private filesTimer?: NodeJS.Timeout;
  private readonly settingsChanged = new EventEmitter<EditorSettings>();
  /** Settings were changed (the engine has them already). */
  readonly onDidChangeSettings = this.settingsChanged.event;
  settings: EditorSettings = readEditorSettings((key, fallback) => workspace.getConfiguration(SETTINGS_SECTION).get(key, fallback));

  constructor(
    private readonly context: ExtensionContext,
    private readonly log: LogOutputChannel,
    private readonly secrets: SecretVariables,
  ) {
    this.disposables.push(
      this.settingsChanged,
      workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration(SETTINGS_SECTION)) return;
        this.settings = readEditorSettings((key, fallback) => workspace.getConfiguration(SETTINGS_SECTION).get(key, fallback));
        this.engine?.configure(engineSettings(this.settings));
        this.settingsChanged.fire(this.settings);
      }),
      workspace.onDidGrantWorkspaceTrust(() => {
        if (!this.engine) return;
        this.log.info('workspace trusted: health checks and runs are on');
        void this.replaceEngine();
      }),
    );
  }

  get loaded(): EditorEngine | undefined {
    return this.engine;
  }

  addListener(listener: EngineListener): void {
    this.listeners.push(listener);
    if (this.engine) listener.engineLoaded(this.engine, this.engineSubscriptions);
  }

  /** The engine, loaded and wired on the first call. */
  get(): Promise<EditorEngine> {
    this.loading ??= this.load().catch((error: Error) => {
      this.loading = undefined;
      this.log.error(`the engine did not load: ${error.message}`);
      throw error;
    });
    return this.loading;
  }

  dispose(): void {
    for (const timer of this.pendingTexts.values()) clearTimeout(timer);
    clearTimeout(this.filesTimer);
    for (const disposable of this.disposables) disposable.dispose();
    void this.disposeEngine();
  }

  private async load(): Promise<EditorEngine> {
    const started = performance.now();
    // A path the bundler leaves alone: the engine is its own bundle, read only now.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous load of the second bundle
    const module: EngineModule = require(this.context.asAbsolutePath('dist/engine.js'));
    const engine = module.createEditorEngine({
      folders: (workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath),
      trusted: workspace.isTrusted,
      settings: engineSettings(this.settings),
    });
    for (const document of workspace.textDocuments) this.sendText(engine, document);
    engine.setSecrets(await this.secrets.values());
    if (!this.engine) this.watch();
    this.engine = engine;
    this.log.info(`engine loaded in ${Math.round(performance.now() - started)} ms (${workspace.isTrusted ? 'trusted' : 'untrusted: nothing runs'}), ${engine.workspace.snapshot.integrations().length} integrations`);
    for (const listener of this.listeners) listener.engineLoaded(engine, this.engineSubscriptions);
    return engine;
  }

  private async replaceEngine(): Promise<void> {
    await this.disposeEngine();
    this.loading = undefined;
    await this.get();
  }

  private async disposeEngine(): Promise<void> {
    const engine = this.engine;
    this.engine = undefined;
    for (const subscription of this.engineSubscriptions.splice(0)) subscription.dispose();
    await engine?.dispose();
  }

  private watch(): void {
    const watchers = WATCHED.map((glob) => workspace.createFileSystemWatcher(glob));
    const changed = (uri: { scheme: string; fsPath: string }) => uri.scheme === 'file' && this.fileChanged(uri.fsPath);
    for (const watcher of watchers) this.disposables.push(watcher, watcher.onDidCreate(changed), watcher.onDidChange(changed), watcher.onDidDelete(changed));
    this.disposables.push(
      workspace.onDidOpenTextDocument((document) => this.engine && this.sendText(this.engine, document)),
      workspace.onDidChangeTextDocument((event) => this.textChanged(event.document)),
      workspace.onDidCloseTextDocument((document) => document.uri.scheme === 'file' && this.engine?.workspace.closeText(document.uri.toString())),
      workspace.onDidChangeWorkspaceFolders(() => this.engine?.workspace.setFolders((workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath))),
      this.secrets.onDidChange(async () => this.engine?.setSecrets(await this.secrets.values())),
    );
  }

  private sendText(engine: EditorEngine, document: TextDocument): void {
    if (document.uri.scheme !== 'file') return;
    engine.workspace.setOpenText(document.uri.toString(), document.getText(), document.version);
  }

  private textChanged(document: TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.pendingTexts.get(key));
    this.pendingTexts.set(
      key,
      setTimeout(() => {
        this.pendingTexts.delete(key);
        if (this.engine && !document.isClosed) this.sendText(this.engine, document);
      }, TEXT_DEBOUNCE_MS),
    );
  }

  private fileChanged(path: string): void {
    this.pendingFiles.add(path);
    clearTimeout(this.filesTimer);
    this.filesTimer = setTimeout(() => {
      const paths = [...this.pendingFiles];
      this.pendingFiles = new Set();
      this.engine?.workspace.filesChanged(paths);
    }, FILE_DEBOUNCE_MS);
  }
}
