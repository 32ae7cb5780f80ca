/**
 * The editor's way into the webviews: the result panel and the health dashboard. The rest of the extension calls
 * only these functions; the webviews behind them (webview/**, src/extension/webviews/**) replace this file's body
 * and keep its signatures.
 *
 * Until they land, a result and the dashboard are shown as read-only JSON documents (scheme `simone-result`), one
 * per kind+target, updated in place.
 */
import { EventEmitter, Uri, window, workspace, type Disposable, type Event, type ExtensionContext, type TextDocumentContentProvider } from 'vscode';
import type { HealthResult } from '../../runners/health/healthResult';

export interface ResultView {
  kind: 'endpoint' | 'endpoints' | 'sync' | 'webhook' | 'queue-publish' | 'queue-peek' | 'receiver';
  title: string;
  /** The runner's plain JSON (src/runners/**\/…Json.ts): already redacted. */
  data: unknown;
}

export interface ResultPanelHandle {
  update(view: ResultView): void;
  /** A run event (src/runners/runEvents.ts) of the run the panel shows, as it happens. */
  appendEvent(event: unknown): void;
  readonly onDidDispose: Event<void>;
}

/** One health target on the dashboard: its latest result and its recent probes, oldest first. */
export interface DashboardEntry {
  key: string;
  name: string;
  type: string;
  result: HealthResult;
  history: ReadonlyArray<{ checkedAt: string; state: HealthResult['state']; latencyMs: number }>;
}

/** What the dashboard shows and when it changes (after every probe, so the latency chart moves). */
export interface HealthSource {
  results(): readonly DashboardEntry[];
  readonly onDidChange: Event<void>;
}

const SCHEME = 'simone-result';

/** The documents shown so far, by path; kept for the window's life (a closed one is shown again on the next run). */
class ResultDocuments implements TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly changed = new EventEmitter<Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: Uri): string {
    return this.contents.get(uri.path) ?? '';
  }

  set(uri: Uri, text: string): void {
    this.contents.set(uri.path, text);
    this.changed.fire(uri);
  }
}

let documents: ResultDocuments | undefined;

function resultDocuments(context: ExtensionContext): ResultDocuments {
  if (!documents) {
    const created = new ResultDocuments();
    context.subscriptions.push(workspace.registerTextDocumentContentProvider(SCHEME, created), { dispose: () => (documents = undefined) });
    documents = created;
  }
  return documents;
}

function uriFor(kind: string, title: string): Uri {
  return Uri.from({ scheme: SCHEME, path: `/${kind}/${title.replace(/[^\w.-]+/g, '_')}.json` });
}

async function reveal(uri: Uri): Promise<void> {
  const document = await workspace.openTextDocument(uri);
  await window.showTextDocument(document, { preview: false, preserveFocus: true });
}

export function showResult(context: ExtensionContext, view: ResultView): ResultPanelHandle {
  const store = resultDocuments(context);
  const uri = uriFor(view.kind, view.title);
  const disposed = new EventEmitter<void>();
  let current = view;
  const events: unknown[] = [];
  const render = () => store.set(uri, JSON.stringify({ title: current.title, result: current.data, events }, null, 2));
  render();
  void reveal(uri);
  const closing: Disposable = workspace.onDidCloseTextDocument((document) => {
    if (document.uri.toString() !== uri.toString()) return;
    closing.dispose();
    disposed.fire();
  });
  return {
    update(next) {
      current = next;
      render();
    },
    appendEvent(event) {
      events.push(event);
      render();
    },
    onDidDispose: disposed.event,
  };
}

/** The dashboard's subscription while it is open (opening it again replaces it). */
let dashboard: Disposable | undefined;

export function showHealthDashboard(context: ExtensionContext, source: HealthSource): void {
  const store = resultDocuments(context);
  const uri = uriFor('health', 'dashboard');
  const render = () => store.set(uri, JSON.stringify(source.results(), null, 2));
  render();
  dashboard?.dispose();
  const updates = source.onDidChange(render);
  const closing = workspace.onDidCloseTextDocument((document) => {
    if (document.uri.toString() === uri.toString()) subscription.dispose();
  });
  const subscription: Disposable = { dispose: () => (updates.dispose(), closing.dispose(), (dashboard = undefined)) };
  dashboard = subscription;
  context.subscriptions.push(subscription);
  void reveal(uri);
}
