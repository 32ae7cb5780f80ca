import { Uri, window, workspace } from 'vscode';
import { INTEGRATION_TYPES, type IntegrationType } from '../../core/model';
import type { CommandContext } from './commandContext';

const NAME = /^[a-z][a-z0-9_]*$/;

const TYPE_DESCRIPTIONS: Record<IntegrationType, string> = {
  request_response: 'HTTP endpoints with retry, circuit breaker and auth',
  event_driven: 'Simone events to queues, URLs and handlers',
  message_queue: 'RabbitMQ exchanges and queues',
  webhook: 'signed webhooks out, and a receiver for those coming in',
  database: 'sync Simone data or tables into PostgreSQL or PGlite',
};

/**
 * Create Integration: a type, a name and (with several) a workspace folder; writes
 * `.simone/integrations/<name>.yaml` from the schema's template for that type and opens it. An existing file is
 * never overwritten.
 */
export async function createIntegration(context: CommandContext): Promise<void> {
  const folders = (workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file');
  if (folders.length === 0) return void window.showInformationMessage('Open a folder first: integrations live in its .simone/integrations/.');
  const type = await window.showQuickPick(
    INTEGRATION_TYPES.map((candidate) => ({ label: candidate, description: TYPE_DESCRIPTIONS[candidate] })),
    { title: 'Create Integration: its type' },
  );
  if (!type) return;
  const engine = await context.host.get();
  const taken = new Set(engine.workspace.snapshot.integrations().map((integration) => integration.name));
  const name = await window.showInputBox({
    title: `Create a ${type.label} integration`,
    prompt: 'Name (lower case, digits and _)',
    value: `my_${type.label}`,
    ignoreFocusOut: true,
    validateInput: (text) => (!NAME.test(text) ? 'A name starts with a lower-case letter; then lower-case letters, digits and _' : taken.has(text) ? `"${text}" is taken` : undefined),
  });
  if (!name) return;
  const folder = folders.length === 1 ? folders[0] : await window.showWorkspaceFolderPick({ placeHolder: 'The workspace folder it belongs to' });
  if (!folder) return;
  const file = Uri.joinPath(folder.uri, '.simone', 'integrations', `${name}.yaml`);
  try {
    await workspace.fs.stat(file);
    return void window.showWarningMessage(`${workspace.asRelativePath(file)} exists already: it was left as it is.`);
  } catch {
    // Not there: write it.
  }
  await workspace.fs.writeFile(file, Buffer.from(engine.integrationTemplate(type.label, name), 'utf8'));
  context.log.info(`created ${workspace.asRelativePath(file)} (${type.label})`);
  await window.showTextDocument(file);
}
