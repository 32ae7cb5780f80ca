import { window } from 'vscode';
import { describeDelivery } from '../runSummaries';
import { showRun } from '../webviews/webviewApi';
import type { CommandContext } from './commandContext';
import { commandTarget } from './commandTarget';
import { runLive } from './liveRun';
import { pickIntegration, pickPart } from './pickers';
import { runWithProgress } from './runWithProgress';

/** What a test delivery carries: says what it is, so a receiver's owner is not puzzled. */
const testData = () => ({ test: true, sentBy: 'Simone Integrations for VS Code', sentAt: new Date().toISOString() });

/** Send Test Webhook: an outgoing endpoint (with a URL), an event type (its first event, else `test`), signed and sent. */
export async function sendTestWebhook(context: CommandContext, argument: unknown): Promise<void> {
  const engine = await context.host.get();
  const target = commandTarget(argument);
  const integration = await pickIntegration(engine, 'webhook', 'Send Test Webhook', target.integration, (candidate) => candidate.endpoints.some((endpoint) => endpoint.url));
  if (!integration) return;
  const outgoing = integration.endpoints.filter((endpoint) => endpoint.url);
  const endpoint = await pickPart(outgoing.map((candidate) => ({ name: candidate.name, description: candidate.signature, value: candidate })), `Send a test webhook from ${integration.name}`, `${integration.name} has no outgoing endpoint (one with a url).`, target.endpoint);
  if (!endpoint) return;
  const type = await window.showInputBox({ title: `Send Test Webhook to ${integration.name}.${endpoint.name}`, prompt: 'Event type', value: endpoint.events[0] ?? 'test', ignoreFocusOut: true, validateInput: (text) => (text.trim() ? undefined : 'An event type, such as task_completed') });
  if (type === undefined) return;
  const title = `${integration.name}.${endpoint.name}`;
  const doing = `Sending ${type} to ${title}`;
  const panel = showRun(context.extension, 'webhook', title, doing);
  const { result } = await runWithProgress(doing, context.host.settings.runTimeoutMs, (progress) =>
    runLive(progress, panel, (options) => engine.sendWebhook(integration.name, endpoint.name, type.trim(), testData(), options), (done) => ({ kind: 'webhook', title, data: done })),
  );
  const line = describeDelivery(result);
  if (result.ok) context.log.info(line);
  else context.log.warn(line);
}

/** Start Webhook Receiver: listens where the integration's `receiver` says; deliveries show up live under it in the tree, in its panel and in the log. */
export async function startReceiver(context: CommandContext, argument: unknown): Promise<void> {
  const engine = await context.host.get();
  const integration = await pickIntegration(engine, 'webhook', 'Start Webhook Receiver', commandTarget(argument).integration, (candidate) => engine.receiverUrl(candidate.name) === undefined);
  if (!integration) return;
  try {
    const url = await engine.startReceiver(integration.name);
    context.log.info(`receiver ${integration.name} listening on ${url}/{${integration.endpoints.map((endpoint) => endpoint.name).join(',')}}`);
    context.receiverPanels.show(integration.name);
    void window.showInformationMessage(`${integration.name} receives webhooks on ${url}/<endpoint>.`);
  } catch (error) {
    context.log.error(`receiver ${integration.name} did not start: ${(error as Error).message}`);
    void window.showErrorMessage(`The receiver of ${integration.name} did not start: ${(error as Error).message}`);
  }
}

export async function stopReceiver(context: CommandContext, argument: unknown): Promise<void> {
  const engine = await context.host.get();
  const integration = await pickIntegration(engine, 'webhook', 'Stop Webhook Receiver', commandTarget(argument).integration, (candidate) => engine.receiverUrl(candidate.name) !== undefined);
  if (!integration) return;
  await engine.receivers.stop(integration.name);
  context.log.info(`receiver ${integration.name} stopped`);
}

/** A received request (clicked in the tree): the receiver's panel, with its descriptive headers and body as the receiver verified them. */
export function showReceived(context: CommandContext, argument: unknown): void {
  const target = commandTarget(argument);
  const request = target.integration && target.receivedAt ? context.view.received.find(target.integration, target.receivedAt, target.endpoint) : undefined;
  if (!request) return void window.showInformationMessage('That request is no longer kept (the newest 100 per receiver are).');
  context.receiverPanels.show(request.integration, request);
}
