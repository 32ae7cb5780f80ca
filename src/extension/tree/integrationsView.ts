import { EventEmitter, commands, window, workspace, type Disposable, type TreeView } from 'vscode';
import { INTEGRATION_TYPES } from '../../core/model';
import type { EndpointResult } from '../../runners/http/endpointResult';
import type { ReceivedWebhook } from '../../runners/webhook/webhookReceiver';
import type { EditorEngine } from '../engine/editorEngine';
import type { EngineHost, EngineListener } from '../engineHost';
import { ReceivedRequests } from '../webhooks/receivedRequests';
import type { HealthRefresh } from '../health/healthRefresh';
import { summarizeHealth } from './healthSummary';
import { integrationsTreeProvider, type TreeElement } from './integrationsTree';
import { IntegrationTreeModel, type TreeWorkspace } from './treeModel';

export const INTEGRATIONS_VIEW = 'simone.integrations';
const UNTRUSTED_MESSAGE = 'This workspace is not trusted: health checks, endpoint tests, syncs, webhooks and queues are off. Trust the workspace to turn them on.';

/**
 * The Integrations view in the Simone container: the tree, its badge (how many targets are down), its message
 * (why nothing runs in an untrusted workspace), the context keys menus and the palette read, and what the
 * editor ran (endpoint runs, received requests) shown on the nodes.
 */
export class IntegrationsView implements EngineListener, Disposable {
  readonly model = new IntegrationTreeModel();
  readonly provider = integrationsTreeProvider(this.model);
  readonly view: TreeView<TreeElement>;
  readonly received = new ReceivedRequests();
  private readonly receiverChanged = new EventEmitter<string>();
  /** A receiver started, stopped or received a request (the integration's name); the tree shows it already. */
  readonly onDidChangeReceiver = this.receiverChanged.event;
  private readonly disposables: Disposable[] = [this.receiverChanged];

  constructor(
    private readonly host: EngineHost,
    refresh: HealthRefresh,
  ) {
    this.view = window.createTreeView(INTEGRATIONS_VIEW, { treeDataProvider: this.provider, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.view.onDidChangeVisibility((event) => {
        refresh.setViewVisible(event.visible);
        if (event.visible) void host.get().catch(() => undefined);
      }),
    );
    refresh.setViewVisible(this.view.visible);
    if (!workspace.isTrusted) this.view.message = UNTRUSTED_MESSAGE;
    this.disposables.push(workspace.onDidGrantWorkspaceTrust(() => (this.view.message = undefined)));
    host.addListener(this);
  }

  engineLoaded(engine: EditorEngine, subscriptions: Array<{ dispose(): unknown }>): void {
    this.showWorkspace(engine.workspace.snapshot);
    for (const entry of engine.health.results()) this.provider.repaint(this.model.setHealth(entry.key, entry.result));
    this.updateBadge(engine);
    subscriptions.push(
      engine.workspace.onDidChange((snapshot) => this.showWorkspace(snapshot)),
      engine.health.onDidChange((entry) => {
        this.provider.repaint(this.model.setHealth(entry.key, entry.result));
        this.updateBadge(engine);
      }),
      engine.health.onDidRemove(({ key }) => {
        this.provider.repaint(this.model.setHealth(key, undefined));
        this.updateBadge(engine);
      }),
      engine.receivers.onDidChange(({ integration, running }) => {
        if (running) this.received.started(integration);
        this.showReceiver(integration, running?.url);
      }),
      engine.receivers.onDidReceive((request) => {
        this.received.add(request);
        this.showReceiver(request.integration, engine.receiverUrl(request.integration));
      }),
    );
  }

  /** An endpoint run from a command or the Testing view, shown on its node. */
  recordEndpointRun(result: EndpointResult): void {
    const run = { ok: result.ok, status: result.status, attempts: result.attempts.length, durationMs: result.durationMs, at: new Date().toISOString(), error: result.error?.message };
    this.provider.repaint(this.model.setEndpointRun(result.integration, result.endpoint, run));
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  private showWorkspace(snapshot: TreeWorkspace): void {
    this.provider.repaint(this.model.setWorkspace(snapshot));
    const integrations = snapshot.integrations();
    const has = (type: string) => integrations.some((integration) => integration.type === type);
    void commands.executeCommand('setContext', 'simone.hasIntegrations', integrations.length + snapshot.microservices().length + snapshot.gateways().length > 0);
    for (const type of INTEGRATION_TYPES) void commands.executeCommand('setContext', `simone.has.${type}`, has(type));
  }

  private showReceiver(integration: string, url: string | undefined): void {
    const received = this.received.list(integration).map((request) => ({ endpoint: request.endpoint, receivedAt: request.receivedAt, event: eventOf(request) }));
    this.provider.repaint(this.model.setReceiver(integration, { url, received }));
    void commands.executeCommand('setContext', 'simone.receiving', this.host.loaded ? this.received.integrations().some((name) => this.host.loaded!.receiverUrl(name)) : false);
    this.receiverChanged.fire(integration);
  }

  private updateBadge(engine: EditorEngine): void {
    const { down, downNames } = summarizeHealth(engine.health.results());
    this.view.badge = down ? { value: down, tooltip: `${down} down: ${downNames.join(', ')}` } : undefined;
  }
}

/** The event a delivery names in its descriptive headers (GitHub, Simone's own sender). */
function eventOf(request: ReceivedWebhook): string | undefined {
  return request.headers['x-github-event'] ?? request.headers['x-simone-event'];
}
