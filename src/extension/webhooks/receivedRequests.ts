import type { ReceivedWebhook } from '../../runners/webhook/webhookReceiver';

/** Received requests kept per receiver: the tree lists the newest of them, the receiver's panel all. */
export const RECEIVED_KEPT = 100;

/** What the running receivers verified since they started, per integration, newest first. No `vscode` here. */
export class ReceivedRequests {
  private readonly lists = new Map<string, ReceivedWebhook[]>();

  /** A receiver (re)started: it has received nothing yet. */
  started(integration: string): void {
    this.lists.set(integration, []);
  }

  add(request: ReceivedWebhook): void {
    const list = this.lists.get(request.integration) ?? [];
    list.unshift(request);
    list.splice(RECEIVED_KEPT);
    this.lists.set(request.integration, list);
  }

  list(integration: string): readonly ReceivedWebhook[] {
    return this.lists.get(integration) ?? [];
  }

  find(integration: string, receivedAt: string, endpoint?: string): ReceivedWebhook | undefined {
    return this.list(integration).find((request) => request.receivedAt === receivedAt && (endpoint === undefined || request.endpoint === endpoint));
  }

  /** The receivers that were started since the engine loaded. */
  integrations(): string[] {
    return [...this.lists.keys()];
  }
}
