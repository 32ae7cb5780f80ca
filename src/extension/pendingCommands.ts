import { commands, window, type Disposable } from 'vscode';

/** Commands the code lenses and the palette name whose UI comes with a later issue. */
const PENDING_COMMANDS: Record<string, string> = {
  'simone.testEndpoint': 'Testing endpoints',
  'simone.testAllEndpoints': 'Testing endpoints',
  'simone.runSync': 'Running syncs',
  'simone.previewSync': 'Previewing syncs',
  'simone.sendWebhook': 'Sending test webhooks',
  'simone.listenWebhooks': 'Listening for webhooks',
  'simone.publishMessage': 'Publishing messages',
  'simone.peekQueue': 'Peeking queues',
  'simone.refreshHealth': 'Health checks',
  'simone.showHealth': 'The health dashboard',
};

/** Registers each pending command to say it is not available yet (the CLI `simone-integrations` already runs them). */
export function registerPendingCommands(): Disposable[] {
  return Object.entries(PENDING_COMMANDS).map(([id, what]) =>
    commands.registerCommand(id, () => void window.showInformationMessage(`${what} in the editor is not available yet; the simone-integrations command line can do it meanwhile.`)),
  );
}
