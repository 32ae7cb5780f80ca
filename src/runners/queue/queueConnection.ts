/**
 * One AMQP connection per message_queue integration: declares its topology,
 * publishes with confirms, peeks, consumes with manual ack, inspects queues, and
 * reconnects with backoff when the broker goes away (consumers re-subscribe).
 */
import { randomUUID } from 'node:crypto';
import { connect, type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import { EventEmitter, type Event, type IDisposable } from 'cockatiel';
import type { MessageQueueIntegration, RetrySettings } from '../../core/model';
import { ClassifiedError, classifyError, integrationSecrets, type RunnerError } from '../errors';
import { retryDelayMs } from '../http/retryBackoff';
import { raceAbort } from '../raceAbort';
import { queueMessage, type QueueMessage } from './queueMessage';
import { declareTopology, queueSettings, routeOf, type Route } from './topology';

/** Where `deadLetter` sets aside the messages of `queue`. */
export function deadLetterQueueOf(queue: string): string {
  return `${queue}.dead_letter`;
}

export type QueueConnectionState = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'closed';

export interface QueueConnectionStateChange {
  integration: string;
  state: QueueConnectionState;
  /** Why the connection was lost or could not be made. */
  error?: RunnerError;
  /** When disconnected and reconnecting: the wait before the next attempt. */
  retryInMs?: number;
}

export interface QueueConnectionOptions {
  /** AMQP heartbeat in seconds, unless the URL sets `heartbeat` (default 10). */
  heartbeatSeconds?: number;
  /** `false` makes one connection attempt: once it fails or drops, operations fail at once (the CLI). Default true. */
  reconnect?: boolean;
  /** Delays between reconnect attempts (default: the integration's `retry`), retried for as long as the connection is open. */
  reconnectBackoff?: RetrySettings;
  /** `false` connects without declaring exchanges, queues and bindings: health checks what exists and creates nothing. Default true. */
  declareTopology?: boolean;
}

interface Bounds {
  signal?: AbortSignal;
  /** How long to wait for a connection plus the operation itself (default: the integration's `timeout`). */
  timeoutMs?: number;
}

export interface PublishOptions extends Bounds {
  headers?: Record<string, unknown>;
  /** Default: a new UUID. */
  messageId?: string;
  /** Default `application/json` (the message is JSON-encoded unless it is a Buffer). */
  contentType?: string;
}

export interface PublishReceipt {
  queue: string;
  exchange: string;
  routingKey: string;
  messageId: string;
  durationMs: number;
}

export interface QueueDepth {
  queue: string;
  messageCount: number;
  consumerCount: number;
}

export interface ConsumeOptions {
  /** Unacknowledged deliveries at a time (default: the integration's `prefetch`). */
  prefetch?: number;
  signal?: AbortSignal;
}

export type MessageHandler = (message: QueueMessage) => Promise<void> | void;

export interface HandlerFailure {
  queue: string;
  message: QueueMessage;
  error: RunnerError;
}

export interface QueueConsumer extends IDisposable {
  readonly queue: string;
  /** A handler rejected: the message went back to the queue. */
  readonly onDidFailHandler: Event<HandlerFailure>;
  /** Stops deliveries; unacknowledged messages return to the queue. */
  cancel(): Promise<void>;
}

interface Subscription {
  queue: string;
  handler: MessageHandler;
  prefetch: number;
  channel?: Channel;
  cancelled: boolean;
  failures: EventEmitter<HandlerFailure>;
}

const DEFAULT_HEARTBEAT_SECONDS = 10;
/** How long close() waits for the broker to confirm; a broker that stops answering is left to the heartbeat. */
const CLOSE_WAIT_MS = 2000;

function elapsed(since: number): number {
  return Math.round(performance.now() - since);
}

export class QueueConnection {
  private readonly stateEmitter = new EventEmitter<QueueConnectionStateChange>();
  /** Fires on every state change: connecting, connected, disconnected (with the reason), closed. */
  readonly onDidChangeState: Event<QueueConnectionStateChange> = this.stateEmitter.addListener;

  private currentState: QueueConnectionState = 'idle';
  private lastError?: RunnerError;
  private connection?: ChannelModel;
  private publishChannel?: ConfirmChannel;
  /** Message ids the broker returned as unroutable (basic.return comes before the confirm). */
  private readonly returned = new Set<string>();
  private readonly subscriptions = new Set<Subscription>();
  private readonly secrets: string[];
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private closed = false;

  constructor(
    readonly integration: MessageQueueIntegration,
    private readonly options: QueueConnectionOptions = {},
  ) {
    this.secrets = integrationSecrets(integration);
  }

  get state(): QueueConnectionState {
    return this.currentState;
  }

  /** Resolves once connected with the topology declared; fails on timeout, abort, close, or a failed attempt when not reconnecting. */
  async whenConnected(bounds: Bounds = {}): Promise<void> {
    await this.ready(bounds, performance.now());
  }

  /**
   * Publishes a persistent message to `queue` (through its exchange and routing
   * key) and resolves only once the broker confirmed it. While disconnected it
   * waits for the reconnection, up to the timeout. A rejection means "not known
   * to be stored": the caller may publish again (consumers see it at least once).
   */
  async publish(queue: string, message: unknown, options: PublishOptions = {}): Promise<PublishReceipt> {
    const start = performance.now();
    const route = routeOf(queueSettings(this.integration, queue));
    const content = Buffer.isBuffer(message) ? message : Buffer.from(JSON.stringify(message) ?? 'null');
    const contentType = options.contentType ?? (Buffer.isBuffer(message) ? 'application/octet-stream' : 'application/json');
    return this.confirmedPublish(queue, route, content, { ...options, contentType }, start);
  }

  /**
   * Sets a consumed message aside in `<queue>.dead_letter` (a durable queue of its own, declared on first use, on
   * the default exchange), with the reason and the queue it came from in its headers; resolves once the broker
   * confirmed it, so the caller may then acknowledge the original.
   */
  async deadLetter(queue: string, message: QueueMessage, reason: string, bounds: Bounds = {}): Promise<PublishReceipt> {
    const start = performance.now();
    const deadLetterQueue = deadLetterQueueOf(queue);
    const { connection } = await this.ready(bounds, start);
    const channel = await this.operationChannel(connection, bounds, start);
    try {
      await this.bounded(channel.assertQueue(deadLetterQueue, { durable: true }), bounds, start, `could not declare queue "${deadLetterQueue}"`);
    } finally {
      await channel.close().catch(() => undefined);
    }
    const headers = { ...message.properties.headers, 'x-simone-dead-letter-reason': reason, 'x-simone-original-queue': queue };
    return this.confirmedPublish(deadLetterQueue, { exchange: '', routingKey: deadLetterQueue }, message.content, { ...bounds, headers, messageId: message.properties.messageId, contentType: message.properties.contentType }, start);
  }

  private async confirmedPublish(queue: string, route: Route, content: Buffer, options: PublishOptions, start: number): Promise<PublishReceipt> {
    const { channel } = await this.ready(options, start);
    const messageId = options.messageId ?? randomUUID();
    const confirmed = new Promise<PublishReceipt>((resolve, reject) => {
      const onConfirm = (error: unknown) => {
        if (error) return reject(new ClassifiedError('transient', `the broker did not confirm message ${messageId} (${(error as Error).message}); it may not be stored, publish it again`));
        if (this.returned.delete(messageId)) return reject(new ClassifiedError('config', `message ${messageId} was not routed to any queue (exchange "${route.exchange}", routing key "${route.routingKey}")`));
        resolve({ queue, ...route, messageId, durationMs: elapsed(start) });
      };
      try {
        channel.publish(route.exchange, route.routingKey, content, { persistent: true, mandatory: true, messageId, contentType: options.contentType, headers: options.headers, timestamp: Math.floor(Date.now() / 1000) }, onConfirm);
      } catch (error) {
        // The channel closed between ready() and now; amqplib will never call back.
        reject(new ClassifiedError('transient', `could not publish message ${messageId}: ${(error as Error).message}`));
      }
    });
    return this.bounded(confirmed, options, start, `no confirm for message ${messageId} from the broker`);
  }

  /** Up to `count` messages from the head of `queue`, left there (fetched, then rejected with requeue). */
  async peek(queue: string, options: Bounds & { count?: number } = {}): Promise<QueueMessage[]> {
    const start = performance.now();
    queueSettings(this.integration, queue);
    const { connection } = await this.ready(options, start);
    const channel = await this.operationChannel(connection, options, start);
    const held: Awaited<ReturnType<Channel['get']>>[] = [];
    try {
      for (let index = 0; index < (options.count ?? 1); index++) {
        // Held messages stay unacknowledged, so each get returns the next one.
        const message = await this.bounded(channel.get(queue, { noAck: false }), options, start, `could not read from queue "${queue}"`);
        if (!message) break;
        held.push(message);
      }
      return held.flatMap((message) => (message ? [queueMessage(message)] : []));
    } finally {
      for (const message of held) if (message) channel.nack(message, false, true);
      // Closing also requeues anything still unacknowledged, whatever happened above.
      await channel.close().catch(() => undefined);
    }
  }

  /** The queue's depth and consumers, by passive declare (health uses it). */
  async inspect(queue: string, options: Bounds = {}): Promise<QueueDepth> {
    const start = performance.now();
    queueSettings(this.integration, queue);
    const { connection } = await this.ready(options, start);
    // A failed passive declare closes its channel, so it gets one of its own.
    const channel = await this.operationChannel(connection, options, start);
    try {
      const { messageCount, consumerCount } = await this.bounded(channel.checkQueue(queue), options, start, `no answer about queue "${queue}"`);
      return { queue, messageCount, consumerCount };
    } catch (error) {
      if (/NOT_FOUND/.test((error as Error).message)) throw new ClassifiedError('config', `queue "${queue}" does not exist on the broker`);
      throw error;
    } finally {
      await channel.close().catch(() => undefined);
    }
  }

  /**
   * Delivers `queue`'s messages to `handler`, `prefetch` at a time: acknowledged
   * once the handler resolves, requeued when it throws. Survives reconnects.
   */
  consume(queue: string, handler: MessageHandler, options: ConsumeOptions = {}): QueueConsumer {
    queueSettings(this.integration, queue);
    const subscription: Subscription = { queue, handler, prefetch: options.prefetch ?? this.integration.prefetch, cancelled: false, failures: new EventEmitter() };
    this.subscriptions.add(subscription);
    const cancel = async () => {
      if (subscription.cancelled) return;
      subscription.cancelled = true;
      this.subscriptions.delete(subscription);
      await subscription.channel?.close().catch(() => undefined);
    };
    options.signal?.addEventListener('abort', () => void cancel(), { once: true });
    if (this.connection) void this.subscribe(this.connection, subscription);
    else this.start();
    return { queue, onDidFailHandler: subscription.failures.addListener, cancel, dispose: () => void cancel() };
  }

  /**
   * Closes the connection for good; waiting operations fail. It does not wait
   * for a connect in flight (amqplib cannot cancel one, and a broker that
   * accepts TCP but never answers holds it for the whole timeout): the
   * connection loop closes that connection as soon as it arrives. Nor does it wait more than CLOSE_WAIT_MS for the
   * broker to confirm the close.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.subscriptions.clear();
    this.wakeUp?.();
    const connection = this.connection;
    this.connection = undefined;
    this.publishChannel = undefined;
    this.setState('closed');
    if (connection) await raceAbort(connection.close(), AbortSignal.timeout(CLOSE_WAIT_MS)).catch(() => undefined);
  }

  private setState(state: QueueConnectionState, extra: Omit<QueueConnectionStateChange, 'integration' | 'state'> = {}): void {
    this.currentState = state;
    this.stateEmitter.emit({ integration: this.integration.name, state, ...extra });
  }

  private start(): void {
    if (this.loop || this.closed) return;
    this.loop = this.run();
    // The loop handles broker failures itself; nobody awaits it (close() does not wait for a connect in flight), so
    // whatever else escapes it (a throwing state listener) must not become an unhandled rejection.
    this.loop.catch(() => undefined);
  }

  private connectionUrl(): string {
    const url = new URL(this.integration.connectionUrl);
    if (!url.searchParams.has('heartbeat')) url.searchParams.set('heartbeat', String(this.options.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS));
    return url.toString();
  }

  /** Connect, serve until the connection drops, wait, repeat: until closed (or after one try without reconnect). */
  private async run(): Promise<void> {
    for (let attempt = 1; !this.closed; attempt++) {
      this.setState('connecting');
      try {
        const connection = await this.open();
        if (this.closed) {
          // close() was called while connecting and did not wait: this connection is nobody's.
          this.publishChannel = undefined;
          await connection.close().catch(() => undefined);
          return;
        }
        attempt = 0;
        const lost = new Promise<unknown>((resolve) => connection.once('close', resolve));
        this.connection = connection;
        this.lastError = undefined;
        this.setState('connected');
        for (const subscription of this.subscriptions) void this.subscribe(connection, subscription);
        const reason = await lost;
        this.connection = undefined;
        this.publishChannel = undefined;
        if (this.closed) return;
        this.lastError = classifyError(reason ?? new Error('the broker closed the connection'), this.secrets);
      } catch (error) {
        if (this.closed) return;
        this.lastError = classifyError(error, this.secrets);
      }
      if (this.options.reconnect === false) {
        this.setState('disconnected', { error: this.lastError });
        return;
      }
      const delay = retryDelayMs(this.options.reconnectBackoff ?? this.integration.retry, Math.max(1, attempt));
      this.setState('disconnected', { error: this.lastError, retryInMs: Math.round(delay) });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }

  private async open(): Promise<ChannelModel> {
    const connection = await connect(this.connectionUrl(), { timeout: this.integration.timeoutMs });
    // 'close' carries the reason; without an 'error' listener Node would throw it.
    connection.on('error', () => undefined);
    // Closed while connecting: declare nothing, run() closes it.
    if (this.closed) return connection;
    try {
      if (this.options.declareTopology !== false) {
        const setup = await connection.createChannel();
        await declareTopology(setup, this.integration.queues);
        await setup.close();
      }
      const channel = await connection.createConfirmChannel();
      channel.on('error', () => undefined);
      channel.on('return', (message: ConsumeMessage) => {
        if (message.properties.messageId) this.returned.add(String(message.properties.messageId));
      });
      // A publish channel closed by the broker (say, its exchange was deleted) is rebuilt with the whole connection.
      channel.on('close', () => {
        if (this.publishChannel === channel) void connection.close().catch(() => undefined);
      });
      this.publishChannel = channel;
      return connection;
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
  }

  private async subscribe(connection: ChannelModel, subscription: Subscription): Promise<void> {
    if (subscription.cancelled) return;
    try {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      subscription.channel = channel;
      await channel.prefetch(subscription.prefetch);
      await channel.consume(subscription.queue, (delivery) => {
        if (delivery) void this.deliver(channel, subscription, delivery);
      });
      if (subscription.cancelled) await channel.close();
    } catch {
      // The connection dropped while subscribing; the next connect subscribes again.
    }
  }

  private async deliver(channel: Channel, subscription: Subscription, delivery: ConsumeMessage): Promise<void> {
    const message = queueMessage(delivery);
    let failure: unknown;
    try {
      await subscription.handler(message);
    } catch (error) {
      failure = error ?? new Error('handler failed');
    }
    try {
      if (failure === undefined) channel.ack(delivery);
      else channel.nack(delivery, false, true);
    } catch {
      // The channel is gone: the broker requeues the unacknowledged message itself.
    }
    if (failure !== undefined) subscription.failures.emit({ queue: subscription.queue, message, error: classifyError(failure, this.secrets) });
  }

  /** The live connection and publish channel, waiting for a (re)connection up to the bounds. */
  private async ready(bounds: Bounds, start: number): Promise<{ connection: ChannelModel; channel: ConfirmChannel }> {
    const live = () => (this.connection && this.publishChannel ? { connection: this.connection, channel: this.publishChannel } : undefined);
    const now = live();
    if (now) return now;
    if (this.closed) throw new ClassifiedError('config', `the connection of "${this.integration.name}" is closed`);
    if (this.options.reconnect === false && this.currentState === 'disconnected') throw this.unreachable();
    this.start();
    let subscription: IDisposable | undefined;
    const connected = new Promise<{ connection: ChannelModel; channel: ConfirmChannel }>((resolve, reject) => {
      subscription = this.onDidChangeState(({ state }) => {
        const current = live();
        if (state === 'connected' && current) resolve(current);
        else if (state === 'closed') reject(new ClassifiedError('config', `the connection of "${this.integration.name}" was closed`));
        else if (state === 'disconnected' && this.options.reconnect === false) reject(this.unreachable());
      });
    });
    try {
      return await this.bounded(connected, bounds, start, 'not connected to the broker');
    } finally {
      subscription?.dispose();
    }
  }

  private unreachable(): ClassifiedError {
    const error = this.lastError;
    return new ClassifiedError(error?.kind ?? 'transient', `cannot reach the broker of "${this.integration.name}": ${error?.message ?? 'not connected'}`, error?.code);
  }

  /** `work` raced against the remaining time and the abort signal. */
  private async bounded<T>(work: Promise<T>, bounds: Bounds, start: number, what: string): Promise<T> {
    const timeoutMs = bounds.timeoutMs ?? this.integration.timeoutMs;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), Math.max(0, timeoutMs - (performance.now() - start)));
    try {
      return await raceAbort(raceAbort(work, deadline.signal), bounds.signal);
    } catch (error) {
      if (bounds.signal?.aborted) throw new ClassifiedError('cancelled', `cancelled: ${what}`);
      if (deadline.signal.aborted) {
        const cause = this.lastError && this.currentState !== 'connected' ? ` (${this.lastError.message})` : '';
        throw new ClassifiedError('timeout', `${what} within ${timeoutMs} ms${cause}`);
      }
      if (error instanceof ClassifiedError) throw error;
      const classified = classifyError(error, this.secrets);
      throw new ClassifiedError(classified.kind, classified.message, classified.code);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A channel of its own for one operation, within its bounds; one the broker opens only after they ran out is closed on arrival. */
  private async operationChannel(connection: ChannelModel, bounds: Bounds, start: number): Promise<Channel> {
    const opening = connection.createChannel();
    try {
      const channel = await this.bounded(opening, bounds, start, 'could not open a channel');
      channel.on('error', () => undefined);
      return channel;
    } catch (error) {
      opening
        .then((late) => {
          late.on('error', () => undefined);
          return late.close();
        })
        .catch(() => undefined);
      throw error;
    }
  }
}
