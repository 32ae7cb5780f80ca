import { commands, window, workspace, type ExtensionContext } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerCommands } from './commands/registerCommands';
import { EngineHost } from './engineHost';
import { EditorEvents } from './events/editorEvents';
import { DashboardSource } from './health/dashboardSource';
import { HealthLog } from './health/healthLog';
import { HealthRefresh } from './health/healthRefresh';
import { HealthStatusBar } from './healthStatusBar';
import { createLanguageClient } from './languageClient';
import { maskedLog } from './maskedLog';
import { SecretVariables } from './secretVariables';
import { EndpointTestController } from './testing/endpointTestController';
import { IntegrationsView } from './tree/integrationsView';
import { ReceiverPanels } from './webhooks/receiverPanels';
import { showResult } from './webviews/webviewApi';

let client: LanguageClient | undefined;

/**
 * Cheap on purpose: the language client, the view, the status bar and the commands; the engine (runners, PGlite,
 * OpenTelemetry) is its own bundle, loaded when the view is shown, health is wanted or a command runs.
 */
export async function activate(context: ExtensionContext): Promise<void> {
  client = createLanguageClient(context);
  const log = maskedLog(window.createOutputChannel('Simone Integrations', { log: true }), () => host.loaded?.workspace.snapshot.redactor());
  const secrets = new SecretVariables(context, client);
  const host = new EngineHost(context, log, secrets);
  const refresh = new HealthRefresh(() => void host.get().catch(() => undefined));
  const allowHealth = () => refresh.setAllowed(workspace.isTrusted && host.settings.healthEnabled);
  allowHealth();
  host.addListener({
    engineLoaded(engine, subscriptions) {
      refresh.attach({
        update: () => engine.health.update(engine.healthTargets()),
        start: () => engine.health.start(),
        pause: () => engine.health.pause(),
        refresh: (key) => engine.health.refresh(key as Parameters<typeof engine.health.refresh>[0]),
      });
      subscriptions.push(engine.workspace.onDidChange(() => refresh.changed()));
    },
  });
  const view = new IntegrationsView(host, refresh);
  const dashboard = new DashboardSource(host, view.model);
  const receiverPanels = new ReceiverPanels(view.received, (integration) => host.loaded?.receiverUrl(integration), (shown) => showResult(context, shown));
  const events = new EditorEvents(host, log);
  const commandContext = { extension: context, host, log, view, refresh, receiverPanels, events };
  context.subscriptions.push(
    log,
    host,
    refresh,
    view,
    events,
    dashboard,
    new HealthStatusBar(host, refresh),
    new HealthLog(host, log),
    new EndpointTestController(commandContext),
    host.onDidChangeSettings(() => {
      allowHealth();
      refresh.changed();
    }),
    workspace.onDidGrantWorkspaceTrust(allowHealth),
    commands.registerCommand('simone.restartLanguageServer', async () => {
      try {
        await client?.restart();
      } catch (error) {
        void window.showErrorMessage(`The Simone language server did not restart: ${(error as Error).message}`);
      }
    }),
    ...registerCommands(commandContext, dashboard),
    ...secrets.register(),
  );
  // Once running (now and after every restart), the client hands the server the stored secrets' names.
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
