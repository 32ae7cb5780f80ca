import { EventEmitter, type Event } from 'cockatiel';
import type { WebhookIntegration, WebhookReceiverSettings } from '../../core/model';
import { settingsFingerprint } from '../settingsFingerprint';
import type { WebhookReceiverLimits } from './receiverDefaults';
import { WebhookReceiver, WebhookReceiverError, type ReceivedWebhook, type RejectedWebhook } from './webhookReceiver';

export interface RunningReceiver {
  integration: string;
  port: number;
  /** `http://host:port{path_prefix}`: endpoints are below it. */
  url: string;
  startedAt: string;
}

/** A receiver started (`running` set) or stopped (`running` undefined). */
export interface ReceiverChange {
  integration: string;
  running?: RunningReceiver;
}

export interface ReceiverStartOptions {
  overrides?: Partial<WebhookReceiverSettings>;
  limits?: Partial<WebhookReceiverLimits>;
}

interface Entry {
  fingerprint: string;
  receiver: WebhookReceiver;
  starting: Promise<RunningReceiver>;
  running?: RunningReceiver;
}

/**
 * The running webhook receivers, one per integration, with their deliveries as one stream (the editor shows
 * received requests live). Starting a receiver that already runs with the same settings returns the running one;
 * with other settings (the file was edited) it is refused: stop it first, so a port is never silently swapped.
 */
export class WebhookReceivers {
  private readonly entries = new Map<string, Entry>();
  private readonly changed = new EventEmitter<ReceiverChange>();
  private readonly received = new EventEmitter<ReceivedWebhook>();
  private readonly rejected = new EventEmitter<RejectedWebhook>();

  readonly onDidChange: Event<ReceiverChange> = this.changed.addListener;
  /** Verified deliveries of every running receiver. */
  readonly onDidReceive: Event<ReceivedWebhook> = this.received.addListener;
  /** Refused requests of every running receiver. */
  readonly onDidReject: Event<RejectedWebhook> = this.rejected.addListener;

  start(integration: WebhookIntegration, options: ReceiverStartOptions = {}): Promise<RunningReceiver> {
    const fingerprint = settingsFingerprint(integration, options);
    const existing = this.entries.get(integration.name);
    if (existing) {
      if (existing.fingerprint === fingerprint) return existing.starting;
      return Promise.reject(new WebhookReceiverError(`the receiver of ${integration.name} is already running with other settings; stop it first`));
    }
    const receiver = new WebhookReceiver(integration, options.overrides, options.limits);
    receiver.onDidReceive((event) => this.received.emit(event));
    receiver.onDidReject((event) => this.rejected.emit(event));
    const starting = receiver.start().then(
      ({ port, url }) => {
        const running = { integration: integration.name, port, url, startedAt: new Date().toISOString() };
        entry.running = running;
        this.changed.emit({ integration: integration.name, running });
        return running;
      },
      (error: unknown) => {
        if (this.entries.get(integration.name) === entry) this.entries.delete(integration.name);
        throw error;
      },
    );
    const entry: Entry = { fingerprint, receiver, starting };
    this.entries.set(integration.name, entry);
    return entry.starting;
  }

  /** Stops the receiver of `integration`, if one runs; its open connections are closed. */
  async stop(integration: string): Promise<void> {
    const entry = this.entries.get(integration);
    if (!entry) return;
    this.entries.delete(integration);
    const started = await entry.starting.then(
      () => true,
      () => false,
    );
    await entry.receiver.stop();
    if (started) this.changed.emit({ integration });
  }

  running(): RunningReceiver[] {
    return [...this.entries.values()].flatMap(({ running }) => (running ? [running] : []));
  }

  async dispose(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((integration) => this.stop(integration)));
  }
}
