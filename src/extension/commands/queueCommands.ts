import { window } from 'vscode';
import type { MessageQueueIntegration } from '../../core/model';
import { peekResultJson, publishResultJson } from '../../runners/queue/queueResultJson';
import type { EditorEngine } from '../engine/editorEngine';
import { showRun } from '../webviews/webviewApi';
import type { CommandContext } from './commandContext';
import { commandTarget } from './commandTarget';
import { runLive } from './liveRun';
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
  const title = `${integration.name}/${queue}`;
  const doing = `Publishing to ${title}`;
  const panel = showRun(context.extension, 'queue-publish', title, doing);
  // A publish is one confirmed step: the queue runner has no run events, so the panel shows it going on, then the receipt.
  const { result } = await runWithProgress(doing, context.host.settings.runTimeoutMs, (progress) =>
    runLive(progress, panel, ({ signal }) => engine.publishMessage(integration.name, queue, JSON.parse(text), { signal }), (done) => ({ kind: 'queue-publish', title, data: publishResultJson(done) })),
  );
  if (result.ok) context.log.info(`queue ${title}: published ${result.receipt.messageId}, confirmed in ${result.receipt.durationMs} ms`);
  else context.log.warn(`queue ${title}: not published: ${result.error.message}`);
}

/** Peek Queue: the messages at the head of a queue, left in place. */
export async function peekQueue(context: CommandContext, argument: unknown): Promise<void> {
  const engine = await context.host.get();
  const chosen = await pickQueue(engine, 'Peek Queue', argument);
  if (!chosen) return;
  const { integration, queue } = chosen;
  const title = `${integration.name}/${queue}`;
  const doing = `Peeking ${title}`;
  const panel = showRun(context.extension, 'queue-peek', title, doing);
  const { result } = await runWithProgress(doing, context.host.settings.runTimeoutMs, (progress) =>
    runLive(progress, panel, ({ signal }) => engine.peekQueue(integration.name, queue, PEEK_COUNT, { signal }), (done) => ({ kind: 'queue-peek', title, data: peekResultJson(done) })),
  );
  if (result.ok) context.log.info(`queue ${title}: peeked ${result.messages.length} messages (left in place)`);
  else context.log.warn(`queue ${title}: peek failed: ${result.error.message}`);
}
