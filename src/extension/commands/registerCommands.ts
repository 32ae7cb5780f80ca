import { commands, window, type Disposable } from 'vscode';
import { OPEN_EVENT_SOURCE_COMMAND } from '../events/eventsView';
import { openLocation } from '../locations';
import { OPEN_DEFINITION_COMMAND } from '../tree/integrationsTree';
import { showHealthDashboard, type HealthSource } from '../webviews/webviewApi';
import type { CommandContext } from './commandContext';
import { commandTarget } from './commandTarget';
import { createIntegration } from './createIntegration';
import { testAllEndpoints, testEndpoint } from './endpointCommands';
import { dispatchEvents, openEventSource, resendEvent, scanEvents } from './eventCommands';
import { peekQueue, publishTestMessage } from './queueCommands';
import { testService } from './serviceCommands';
import { applySync, previewSync } from './syncCommands';
import { sendTestWebhook, showReceived, startReceiver, stopReceiver } from './webhookCommands';

type Handler = (context: CommandContext, argument: unknown) => unknown;

/**
 * Every Simone command (package.json `contributes.commands`; the code lenses of src/language/codeLens.ts name the
 * same ids). A failure is logged and shown, never thrown at VS Code.
 */
export function registerCommands(context: CommandContext, dashboard: HealthSource): Disposable[] {
  const handlers: Record<string, Handler> = {
    'simone.testEndpoint': testEndpoint,
    'simone.testAllEndpoints': testAllEndpoints,
    'simone.testService': testService,
    'simone.runSync': applySync,
    'simone.previewSync': previewSync,
    'simone.sendWebhook': sendTestWebhook,
    'simone.startReceiver': startReceiver,
    'simone.stopReceiver': stopReceiver,
    'simone.showReceived': showReceived,
    'simone.publishMessage': publishTestMessage,
    'simone.peekQueue': peekQueue,
    'simone.refreshHealth': (_, argument) => context.refresh.refreshNow(commandTarget(argument).healthKey),
    'simone.showHealth': async () => {
      await context.host.get();
      showHealthDashboard(context.extension, dashboard);
    },
    'simone.scanEvents': scanEvents,
    'simone.dispatchEvents': dispatchEvents,
    'simone.resendEvent': resendEvent,
    [OPEN_EVENT_SOURCE_COMMAND]: openEventSource,
    'simone.createIntegration': createIntegration,
    'simone.showLogs': () => context.log.show(),
    [OPEN_DEFINITION_COMMAND]: (_, location) => openLocation(location as Parameters<typeof openLocation>[0]),
  };
  const registered = Object.entries(handlers).map(([id, handler]) =>
    commands.registerCommand(id, async (argument: unknown) => {
      try {
        await handler(context, argument);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        context.log.error(`${id}: ${message}`);
        void window.showErrorMessage(`Simone: ${message}`, 'Show Logs').then((choice) => choice && context.log.show());
      }
    }),
  );
  return [...registered, context.view.onDidChangeReceiver((integration) => context.receiverPanels.changed(integration))];
}
