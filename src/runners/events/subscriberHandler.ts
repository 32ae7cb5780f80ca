import type { EventDrivenIntegration, Integration, SubscriberSettings, WebhookIntegration } from '../../core/model';
import type { EngineServices } from '../engineServices';
import { classifyError, integrationSecrets, redact, runnerError, type RunnerError } from '../errors';
import { publishMessage } from '../queue/queueOperations';
import { sendWebhook } from '../webhook/webhookSender';
import { CLOUDEVENTS_JSON, type CloudEvent } from './cloudEvent';
import { resolveDestination } from './eventDestination';
import { parseDestinationId } from './storedEvent';

/** Runs a `command:<id>` handler (the editor's VS Code command); rejects when it failed. */
export type CommandHandler = (command: string, event: CloudEvent, signal: AbortSignal) => Promise<void>;

/** A subscriber's handler, ready to run; or why it cannot run here. */
export type ResolvedHandler =
  | { kind: 'runnable'; run: (event: CloudEvent, signal: AbortSignal) => Promise<{ ok: boolean; error?: RunnerError; attempts: number }>; retried: boolean }
  | { kind: 'skipped'; reason: string };

export interface HandlerContext {
  integrations: readonly Integration[];
  services: EngineServices;
  onCommand?: CommandHandler;
  log?: (line: string) => void;
}

const ok = { ok: true, attempts: 1 };

/**
 * What CONFIG.md's handler names mean: `webhook:<integration>/<endpoint>` sends the event's data as a signed webhook
 * (the webhook integration's own retries), `queue:<queue>` publishes the CloudEvent to that queue (confirmed), `log`
 * writes one line, `command:<id>` runs the caller's command handler (the editor; elsewhere it is skipped). Anything
 * else is unresolved and skipped.
 */
export function resolveHandler(integration: EventDrivenIntegration, subscriber: SubscriberSettings, context: HandlerContext): ResolvedHandler {
  const { handler } = subscriber;
  const secrets = integrationSecrets(integration);
  const webhook = parseDestinationId(handler);
  if (webhook?.kind === 'webhook') {
    const target = context.integrations.find((candidate): candidate is WebhookIntegration => candidate.type === 'webhook' && candidate.name === webhook.integration);
    const endpoint = target?.endpoints.find((candidate) => candidate.name === webhook.target);
    if (!target || !endpoint?.url) return { kind: 'skipped', reason: `no webhook endpoint "${webhook.target}" with a url in an integration "${webhook.integration}"` };
    if (!target.enabled) return { kind: 'skipped', reason: `"${target.name}" is disabled` };
    return {
      kind: 'runnable', retried: true,
      run: async (event, signal) => {
        const delivery = await sendWebhook(target, endpoint.name, eventName(event), event.data, { id: event.id, registry: context.services.resilience, signal });
        return { ok: delivery.ok, ...(delivery.error ? { error: delivery.error } : {}), attempts: delivery.attempts.length };
      },
    };
  }
  if (handler.startsWith('queue:')) {
    const destination = resolveDestination(handler.slice('queue:'.length), context.integrations);
    if (destination.kind !== 'queue') return { kind: 'skipped', reason: destination.kind === 'unresolved' ? destination.error.message : `"${handler}" is not a queue` };
    return {
      kind: 'runnable', retried: false,
      run: async (event, signal) => {
        const published = await publishMessage(context.services.queues.get(destination.integration), destination.queue, Buffer.from(JSON.stringify(event)), { contentType: CLOUDEVENTS_JSON, messageId: event.id, signal });
        return published.ok ? ok : { ok: false, error: published.error, attempts: 1 };
      },
    };
  }
  if (handler === 'log') {
    return {
      kind: 'runnable', retried: false,
      run: async (event) => {
        context.log?.(redact(`${integration.name}/${subscriber.name}: ${event.type} ${event.id} ${JSON.stringify(event.data)}`, secrets));
        return ok;
      },
    };
  }
  if (handler.startsWith('command:')) {
    const onCommand = context.onCommand;
    if (!onCommand) return { kind: 'skipped', reason: 'command: handlers run only in the editor' };
    const command = handler.slice('command:'.length);
    return {
      kind: 'runnable', retried: false,
      run: async (event, signal) => {
        try {
          await onCommand(command, event, signal);
          return ok;
        } catch (error) {
          return { ok: false, error: classifyError(error, secrets), attempts: 1 };
        }
      },
    };
  }
  return { kind: 'skipped', reason: `unresolved handler "${handler}" (not webhook:, queue:, log or command:)` };
}

/** `simone.task_completed` -> `task_completed`: the name subscribers list. */
export function eventName(event: Pick<CloudEvent, 'type'>): string {
  return event.type.startsWith('simone.') ? event.type.slice('simone.'.length) : event.type;
}

export const notACloudEvent = (why: string) => runnerError('config', `not a CloudEvent: ${why}`);
