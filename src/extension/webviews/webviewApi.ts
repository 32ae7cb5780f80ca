/**
 * The editor's way into the webviews: the result panel (one per kind+target, revealed and updated on a re-run) and
 * the health dashboard. The rest of the extension calls only these functions. What the pages get is built by the
 * vscode-free modules beside this one (view models, protocol, page sessions), from engine results that are
 * already redacted: no secret is added here.
 */
import { EventEmitter, Uri, ViewColumn, commands, env, window, type Disposable, type Event, type ExtensionContext, type WebviewPanel } from 'vscode';
import type { RunEvent } from '../../runners/runEvents';
import { dashboardModel, type DashboardEntry } from './dashboardModel';
import { PageSession, type PageRequest } from './pageSession';
import type { HostMessage } from './protocol';
import { resultCommand } from './resultCommands';
import { ResultSession, type RunStart } from './resultSession';
import type { ResultKind, ResultView } from './resultView';
import { newNonce, webviewHtml } from './webviewHtml';

export type { DashboardEntry } from './dashboardModel';
export type { ResultView } from './resultView';

export interface ResultPanelHandle {
  /** Shows a result in this panel (in a new one when it was closed). */
  update(view: ResultView): void;
  /** A run event (src/runners/runEvents.ts) of the run the panel shows, as it happens. */
  appendEvent(event: RunEvent): void;
  readonly onDidDispose: Event<void>;
}

/** What the dashboard shows and when it changes (after every probe, so the latency chart moves). */
export interface HealthSource {
  results(): readonly DashboardEntry[];
  readonly onDidChange: Event<void>;
  /** Opens where a target is defined (the dashboard's row link); without it rows are not links. */
  openDefinition?(key: string): void;
}

function createPanel(context: ExtensionContext, viewType: string, page: 'result' | 'health', title: string): WebviewPanel {
  const root = Uri.joinPath(context.extensionUri, 'dist', 'webview');
  const panel = window.createWebviewPanel(viewType, title, { viewColumn: ViewColumn.Beside, preserveFocus: true }, { enableScripts: true, localResourceRoots: [root] });
  const uri = (file: string) => panel.webview.asWebviewUri(Uri.joinPath(root, file)).toString();
  panel.webview.html = webviewHtml({ title, cspSource: panel.webview.cspSource, script: uri(`${page}.js`), stylesheet: uri('webview.css'), codicons: uri('codicon.css') }, newNonce());
  return panel;
}

/** Feeds a page its messages and tells its session when VS Code unloaded it (hidden without retained context). */
function connect(panel: WebviewPanel, session: { receive(raw: unknown): void; reset(): void }): Disposable[] {
  return [panel.webview.onDidReceiveMessage((raw) => session.receive(raw)), panel.onDidChangeViewState(() => panel.visible || session.reset())];
}

// A refused message is never acted on; it goes to the extension host's log (it names only the field that failed).
const refuse = (page: string) => (reason: string) => console.warn(`Simone ${page}: refused a message from the page: ${reason}`);

interface OpenResult {
  panel: WebviewPanel;
  session: ResultSession;
  handle: ResultPanelHandle;
}

const results = new Map<string, OpenResult>();
const panelId = (kind: ResultKind, title: string) => `${kind}\u0000${title}`;

/** The panel of a kind and target, revealed (and given `first`) when open, else opened with it. */
function openResult(context: ExtensionContext, kind: ResultKind, first: ResultView | RunStart): ResultPanelHandle {
  const id = panelId(kind, first.title);
  const open = results.get(id);
  if (open) {
    if ('doing' in first) open.session.begin(first);
    else open.session.show(first);
    open.panel.reveal(undefined, true);
    return open.handle;
  }
  const panel = createPanel(context, 'simone.result', 'result', first.title);
  const disposed = new EventEmitter<void>();
  let closed = false;
  const post = (message: HostMessage) => panel.webview.postMessage(message);
  const handle = (request: PageRequest) => {
    if (request.type === 'rerun' || request.type === 'apply') {
      const call = session.current && resultCommand(session.current, request.type);
      if (call) void commands.executeCommand(call.command, call.argument);
    } else if (request.type === 'copy') void env.clipboard.writeText(request.text);
  };
  const session = new ResultSession(first, post, handle, refuse(`result panel ${first.title}`));
  const subscriptions = connect(panel, session);
  panel.onDidDispose(() => {
    closed = true;
    results.delete(id);
    for (const subscription of subscriptions) subscription.dispose();
    disposed.fire();
    disposed.dispose();
  });
  const resultHandle: ResultPanelHandle = {
    // Closed meanwhile (during a run): the result opens a panel again, as a run's result always shows.
    update: (next) => {
      if (closed || panelId(next.kind, next.title) !== id) showResult(context, next);
      else session.show(next);
    },
    appendEvent: (event) => {
      if (!closed) session.event(event);
    },
    onDidDispose: disposed.event,
  };
  results.set(id, { panel, session, handle: resultHandle });
  context.subscriptions.push(panel);
  return resultHandle;
}

export function showResult(context: ExtensionContext, view: ResultView): ResultPanelHandle {
  return openResult(context, view.kind, view);
}

/**
 * The panel for a run about to start (one per kind and target, as for its result): it says what goes on and draws
 * the run's events as `appendEvent` gets them; `update` then shows the result.
 */
export function showRun(context: ExtensionContext, kind: ResultKind, title: string, doing: string): ResultPanelHandle {
  return openResult(context, kind, { title, doing });
}

let dashboard: WebviewPanel | undefined;

export function showHealthDashboard(context: ExtensionContext, source: HealthSource): void {
  if (dashboard) return dashboard.reveal(undefined, true);
  const panel = createPanel(context, 'simone.healthDashboard', 'health', 'Simone Health');
  const health = (): HostMessage => ({ type: 'health', model: dashboardModel(source.results(), source.openDefinition !== undefined) });
  const handle = (request: PageRequest) => {
    if (request.type === 'openDefinition') source.openDefinition?.(request.key);
    else if (request.type === 'copy') void env.clipboard.writeText(request.text);
  };
  const session = new PageSession((message) => panel.webview.postMessage(message), () => [health()], handle, refuse('health dashboard'));
  const subscriptions = [...connect(panel, session), source.onDidChange(() => session.send(health()))];
  panel.onDidDispose(() => {
    dashboard = undefined;
    for (const subscription of subscriptions) subscription.dispose();
  });
  dashboard = panel;
  context.subscriptions.push(panel);
}
