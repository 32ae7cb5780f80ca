import type { ExtensionContext, LogOutputChannel } from 'vscode';
import type { EngineHost } from '../engineHost';
import type { EditorEvents } from '../events/editorEvents';
import type { HealthRefresh } from '../health/healthRefresh';
import type { IntegrationsView } from '../tree/integrationsView';
import type { ReceiverPanels } from '../webhooks/receiverPanels';

/** What every command works with. */
export interface CommandContext {
  extension: ExtensionContext;
  host: EngineHost;
  log: LogOutputChannel;
  view: IntegrationsView;
  refresh: HealthRefresh;
  receiverPanels: ReceiverPanels;
  events: EditorEvents;
}
