import { EventEmitter, type Event } from 'cockatiel';
import type { EventDrivenIntegration, Integration, MessageQueueIntegration, SubscriberSettings } from '../../core/model';
import type { Workspace } from '../../core/workspace';
import type { EngineServices } from '../engineServices';
import { ClassifiedError, classifyError, type RunnerError } from '../errors';
import { retryDelayMs } from '../http/retryBackoff';
import { consumerKey } from '../queue/queueConsumers';
import type { QueueMessage } from '../queue/queueMessage';
import type { CloudEvent } from './cloudEvent';
import { resolveDestination } from './eventDestination';
import { eventName, notACloudEvent, resolveHandler, type CommandHandler, type ResolvedHandler } from './subscriberHandler';
import { sleepUnlessAborted } from '../sleepUnlessAborted';

export interface SubscriberOptions {
  /** The workspace folder whose integrations are used. */
  folder: string;
  workspace: () => Workspace;
  services: EngineServices;
  /** Runs `command:` handlers (the editor); without it they are skipped. */
  onCommand?: CommandHandler;
  /** Where the `log` handler writes (lines already masked). */
  log?: (line: string) => void;
  /** For tests: the waits between a handler's tries (default: its integration's `retry`). */
  retryDelayMs?: (integration: EventDrivenIntegration, retry: number) => number;
}

/** `<integration>/<subscriber>`. */
export type SubscriberId = `${string}/${string}`;

export interface HandlerOutcome {
  subscriber: SubscriberId;
  handler: string;
  eventId: string;
  /** The subscribed name (`task_completed`). */
  type: string;
  queue: string;
  ok: boolean;
  /** Why the handler did not run (unresolved, `command:` outside the editor). */
  skipped?: string;
  error?: RunnerError;
  /** Tries of the handler (with the webhook handler, the webhook's attempts). */
  attempts: number;
  /** After its last try failed, the message went to `<queue>.dead_letter`. */
  deadLettered?: boolean;
}

export interface RunningSubscribers {
  /** The queues consumed: where publishers of the subscribed events send them. */
  readonly queues: ReadonlyArray<{ integration: string; queue: string }>;
  /** Subscribers that cannot run here, and subscribers none of whose events reach a queue. */
  readonly skipped: ReadonlyArray<{ subscriber: SubscriberId; handler: string; reason: string }>;
  readonly onDidHandle: Event<HandlerOutcome>;
  dispose(): Promise<void>;
}

interface Route {
  integration: EventDrivenIntegration;
  subscriber: SubscriberSettings;
  handler: ResolvedHandler;
}

/**
 * Consumes the queues the subscribed events are published to and runs each subscriber's handler for the events it
 * lists (CONFIG.md, event_driven). A message is acknowledged once every handler succeeded; a handler still failing
 * after its integration's retries sends the message to `<queue>.dead_letter` (then it is acknowledged: set aside,
 * not lost); if even that fails it goes back to the queue. A subscriber's event reaches it through one queue only
 * (the first one in workspace order that carries it), so two publishers do not run a handler twice.
 */
export function startSubscribers(options: SubscriberOptions): RunningSubscribers {
  const workspace = options.workspace();
  const integrations = workspace.integrations().filter((integration) => workspace.folderOf(integration.source.uri) === options.folder);
  const context = { integrations, services: options.services, onCommand: options.onCommand, log: options.log };
  const handled = new EventEmitter<HandlerOutcome>();
  const stopping = new AbortController();
  const skipped: Array<{ subscriber: SubscriberId; handler: string; reason: string }> = [];
  /** Per consumed queue: event name -> the subscribers it reaches there. */
  const routes = new Map<string, { owner: MessageQueueIntegration; queue: string; byEvent: Map<string, Route[]> }>();

  const eventDriven = integrations.filter((integration): integration is EventDrivenIntegration => integration.type === 'event_driven' && integration.enabled);
  for (const integration of eventDriven) {
    for (const subscriber of integration.subscribers) {
      const id: SubscriberId = `${integration.name}/${subscriber.name}`;
      const handler = resolveHandler(integration, subscriber, context);
      let reached = false;
      for (const event of subscriber.events) {
        const carrier = queueCarrying(event, eventDriven, integrations);
        if (!carrier) continue;
        reached = true;
        const key = consumerKey(carrier.owner.name, carrier.queue);
        const route = routes.get(key) ?? { ...carrier, byEvent: new Map() };
        routes.set(key, route);
        route.byEvent.set(event, [...(route.byEvent.get(event) ?? []), { integration, subscriber, handler }]);
      }
      if (handler.kind === 'skipped') skipped.push({ subscriber: id, handler: subscriber.handler, reason: handler.reason });
      else if (!reached) skipped.push({ subscriber: id, handler: subscriber.handler, reason: `no publisher sends its events (${subscriber.events.join(', ')}) to a queue` });
    }
  }

  const started: Array<{ integration: string; queue: string }> = [];
  for (const { owner, queue, byEvent } of routes.values()) {
    try {
      options.services.consumers.start(owner, queue, (message) => onMessage(owner, queue, byEvent, message));
      started.push({ integration: owner.name, queue });
    } catch (error) {
      // Another consumer of the queue runs already (one the user started): its subscribers wait for it to stop.
      const reason = `queue "${queue}" of ${owner.name}: ${(error as Error).message}`;
      for (const route of [...byEvent.values()].flat()) skipped.push({ subscriber: `${route.integration.name}/${route.subscriber.name}`, handler: route.subscriber.handler, reason });
    }
  }

  async function onMessage(owner: MessageQueueIntegration, queue: string, byEvent: Map<string, Route[]>, message: QueueMessage): Promise<void> {
    const event = cloudEventOf(message.body);
    if ('error' in event) {
      await options.services.queues.get(owner).deadLetter(queue, message, event.error.message);
      return;
    }
    const outcomes: HandlerOutcome[] = [];
    for (const route of byEvent.get(eventName(event)) ?? []) {
      outcomes.push(await runRoute(route, event, queue));
      if (stopping.signal.aborted) throw new ClassifiedError('cancelled', 'cancelled: the subscribers stopped'); // unacknowledged: back to the queue
    }
    const failed = outcomes.filter((outcome) => !outcome.ok && !outcome.skipped);
    // One dead letter for all the handlers that failed; if that fails too, the throw puts the message back in the queue.
    if (failed.length) await options.services.queues.get(owner).deadLetter(queue, message, failed.map((outcome) => `${outcome.subscriber}: ${outcome.error?.message ?? 'failed'}`).join('; ').slice(0, 1000));
    for (const outcome of outcomes) handled.emit(!outcome.ok && !outcome.skipped ? { ...outcome, deadLettered: true } : outcome);
  }

  async function runRoute(route: Route, event: CloudEvent, queue: string): Promise<HandlerOutcome> {
    const base = { subscriber: `${route.integration.name}/${route.subscriber.name}` as SubscriberId, handler: route.subscriber.handler, eventId: event.id, type: eventName(event), queue };
    if (route.handler.kind === 'skipped') return { ...base, ok: false, skipped: route.handler.reason, attempts: 0 };
    const tries = route.handler.retried ? 1 : route.integration.retry.maxAttempts;
    let attempts = 0;
    let error: RunnerError | undefined;
    for (let attempt = 1; attempt <= tries && !stopping.signal.aborted; attempt++) {
      if (attempt > 1) await sleepUnlessAborted(options.retryDelayMs?.(route.integration, attempt - 1) ?? retryDelayMs(route.integration.retry, attempt - 1), stopping.signal);
      try {
        const result = await route.handler.run(event, stopping.signal);
        attempts += result.attempts;
        if (result.ok) return { ...base, ok: true, attempts };
        error = result.error;
      } catch (thrown) {
        attempts += 1;
        error = classifyError(thrown, route.integration.secrets);
      }
    }
    return { ...base, ok: false, ...(error ? { error } : {}), attempts };
  }

  return {
    queues: started,
    skipped,
    onDidHandle: handled.addListener,
    async dispose() {
      stopping.abort();
      await Promise.all(started.map(({ integration, queue }) => options.services.consumers.stop(integration, queue)));
    },
  };
}

/** The first queue (workspace order of publishers) that an enabled publisher sends `event` to. */
function queueCarrying(event: string, eventDriven: readonly EventDrivenIntegration[], integrations: readonly Integration[]): { owner: MessageQueueIntegration; queue: string } | undefined {
  for (const integration of eventDriven) {
    for (const publisher of integration.publishers) {
      if (!publisher.events.includes(event)) continue;
      const destination = resolveDestination(publisher.destination, integrations);
      if (destination.kind === 'queue') return { owner: destination.integration, queue: destination.queue };
    }
  }
  return undefined;
}

function cloudEventOf(body: unknown): CloudEvent | { error: RunnerError } {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { error: notACloudEvent('the body is not a JSON object') };
  const event = body as Partial<CloudEvent>;
  if (typeof event.type !== 'string' || typeof event.id !== 'string') return { error: notACloudEvent('it has no string "type" and "id"') };
  return event as CloudEvent;
}
