import { workspace, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

/** The files the server watches too (see src/server/folderWatcher.ts); the client forwards their changes. */
const WATCHED_FILES = ['**/.simone/integrations/*.{yaml,yml}', '**/.simone/config/integrations.{yaml,yml}', '**/.env'];

/**
 * The Simone language server (dist/server.js) over Node IPC. The client id
 * `simone` makes vscode-languageclient read the `simone.trace.server` setting.
 */
export function createLanguageClient(context: ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: 'simone-integration' }, { scheme: 'file', pattern: '**/.simone/integrations/*.{yaml,yml}' }],
    synchronize: { fileEvents: WATCHED_FILES.map((glob) => workspace.createFileSystemWatcher(glob)) },
    middleware: {
      // `simone.validate.enable: false` hides problems; the other features keep working.
      handleDiagnostics: (uri, diagnostics, next) => next(uri, workspace.getConfiguration('simone').get('validate.enable', true) ? diagnostics : []),
    },
  };
  return new LanguageClient('simone', 'Simone Language Server', serverOptions, clientOptions);
}
