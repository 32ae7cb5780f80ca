import { window } from 'vscode';
import type { MessageQueueIntegration } from '../../core/model';
import { peekResultJson, publishResultJson } from '../../runners/queue/queueResultJson';
import type { EditorEngine } from '../engine/editorEngine';
import { showResult } from '../webviews/webviewApi';
import type { CommandContext } from './commandContext';
import { commandTarget } from './commandTarget';
import { pickIntegration, pickPart } from './pickers';
import { runWithProgress } from './runWithProgress';

/** Messages a peek shows at most. */
const PEEK_COUNT = 10;

async function pickQueue(engine: EditorEngine, title: string, argument: unknown): Promise<{ integration: MessageQueueIntegration; queue: string } | undefined> {
  const target = commandTarget(argument);
  const integration = await pickIntegration(engine, 'message_queue', title, target.integration);
  if (!integration) return undefined;
  const queue = await pickPart(integration.queues.map((candidate) => ({ name: candidate.name, description: candidate.exchange ? `${candidate.exchange} → ${candidate.routingKey ?? candidate.name}` : undefined, value: candidate.name })), `${title}: a queue of ${integration.name}`, `${integration.name} has no queues.`, target.queue);
  return queue === undefined ? undefined : { integration, queue };
}

function parsesAsJson(text: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return `Not JSON: ${(error as Error).message}`;
  }
}

/** Publish Test Message: a JSON message to a queue through its exchange and routing key, confirmed by the broker. */
export async function publishTestMessage(context: CommandContext, argument: unknown): Promise<void> {
  const engine = await context.host.get();
  const chosen = await pickQueue(engine, 'Publish Test Message', argument);
  if (!chosen) return;
  const { integration, queue } = chosen;
  const text = await window.showInputBox({ title: `Publish to ${integration.name}/${queue}`, prompt: 'Message (JSON)', value: JSON.stringify({ test: true, sentBy: 'Simone Integrations for VS Code' }), ignoreFocusOut: true, validateInput: parsesAsJson });
  if (text === undefined) return;
  const { result } = await runWithProgress(`Publishing to ${integration.name}/${queue}`, context.host.settings.runTimeoutMs, ({ signal }) => engine.publishMessage(integration.name, queue, JSON.parse(text), { signal }));
  if (result.ok) context.log.info(`queue ${integration.name}/${queue}: published ${result.receipt.messageId}, confirmed in ${result.receipt.durationMs} ms`);
  else context.log.warn(`queue ${integration.name}/${queue}: not published: ${result.error.message}`);
  showResult(context.extension, { kind: 'queue-publish', title: `${integration.name}/${queue}`, data: publishResultJson(result) });
}

/** Peek Queue: the messages at the head of a queue, left in place. */
export async function peekQueue(context: CommandContext, argument: unknown): Promise<void> {
  const engine = await context.host.get();
  const chosen = await pickQueue(engine, 'Peek Queue', argument);
  if (!chosen) return;
  const { integration, queue } = chosen;
  const { result } = await runWithProgress(`Peeking ${integration.name}/${queue}`, context.host.settings.runTimeoutMs, ({ signal }) => engine.peekQueue(integration.name, queue, PEEK_COUNT, { signal }));
  if (result.ok) context.log.info(`queue ${integration.name}/${queue}: peeked ${result.messages.length} messages (left in place)`);
  else context.log.warn(`queue ${integration.name}/${queue}: peek failed: ${result.error.message}`);
  showResult(context.extension, { kind: 'queue-peek', title: `${integration.name}/${queue}`, data: peekResultJson(result) });
}
