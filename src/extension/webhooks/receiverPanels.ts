import type { ReceivedWebhook } from '../../runners/webhook/webhookReceiver';
import type { ResultView } from '../webviews/resultView';
import type { ReceivedRequests } from './receivedRequests';

/** What this needs of a result panel (webviewApi's ResultPanelHandle). */
export interface ReceiverPanel {
  update(view: ResultView): void;
  onDidDispose(listener: () => void): unknown;
}

/**
 * One result panel per webhook receiver: its deliveries so far, newest first, with one of them in full (the one
 * clicked in the tree, else the newest), kept up to date while it is open. No `vscode` here: the extension hands
 * in how a panel opens (webviewApi's showResult, which reveals the panel of a kind and title when it is open).
 */
export class ReceiverPanels {
  private readonly open = new Map<string, { panel: ReceiverPanel; shown?: ReceivedWebhook }>();

  constructor(
    private readonly received: ReceivedRequests,
    private readonly receiverUrl: (integration: string) => string | undefined,
    private readonly openPanel: (view: ResultView) => ReceiverPanel,
  ) {}

  /** Opens or reveals the receiver's panel, showing `shown` in full (else the newest delivery). */
  show(integration: string, shown?: ReceivedWebhook): void {
    const panel = this.openPanel(this.view(integration, shown));
    if (!this.open.has(integration)) panel.onDidDispose(() => this.open.delete(integration));
    this.open.set(integration, { panel, shown });
  }

  /** A receiver started, stopped or received a request: its panel, when open, shows it (without being revealed). */
  changed(integration: string): void {
    const open = this.open.get(integration);
    if (open) open.panel.update(this.view(integration, open.shown));
  }

  private view(integration: string, shown: ReceivedWebhook | undefined): ResultView {
    return { kind: 'receiver', title: `${integration} receiver`, data: { integration, url: this.receiverUrl(integration), deliveries: this.received.list(integration), shown } };
  }
}
