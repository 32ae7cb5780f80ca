import { commands, window, type ExtensionContext } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createLanguageClient } from './languageClient';
import { registerPendingCommands } from './pendingCommands';
import { SecretVariables } from './secretVariables';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  client = createLanguageClient(context);
  context.subscriptions.push(
    commands.registerCommand('simone.restartLanguageServer', async () => {
      try {
        await client?.restart();
      } catch (error) {
        void window.showErrorMessage(`The Simone language server did not restart: ${(error as Error).message}`);
      }
    }),
    ...registerPendingCommands(),
  );
  const secrets = new SecretVariables(context, client);
  context.subscriptions.push(...secrets.register());
  // Once running (now and after every restart), the client hands the server the stored secrets' names.
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
