import type { MessagePort } from 'node:worker_threads';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CheckJob, FromCheckWorker, StoreEdit, ToCheckWorker } from './checkProtocol';
import { describeError } from './describeError';
import { DocumentStore } from './documentStore';
import { validate as builtInValidate, type Validate } from './validate';

async function applyEdit(store: DocumentStore, edit: StoreEdit): Promise<void> {
  switch (edit.kind) {
    case 'open':
      store.open(TextDocument.create(edit.uri, edit.languageId, edit.version, edit.text));
      break;
    case 'change':
      store.changed(TextDocument.create(edit.uri, edit.languageId, edit.version, edit.text));
      break;
    case 'close':
      store.close(edit.uri);
      break;
    case 'disk':
      store.diskChanged(edit.path, edit.deleted);
      break;
    case 'folders':
      store.removeFolders(edit.removed);
      await store.addFolders(edit.added);
      break;
    case 'secret-names':
      store.setSecretNames(edit.names);
      break;
  }
}

/**
 * The check worker (a worker thread): a replica of the server's store, fed the
 * main thread's edits, that validates one file when asked. Messages are handled
 * strictly in order, so a check sees every edit sent before it.
 */
export function runCheckWorker(port: MessagePort, job: CheckJob): void {
  const store = new DocumentStore(job.processEnv);
  // A path known only at run time (a test's module), so not an import.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const validate: Validate = job.validator ? (require(job.validator) as { validate: Validate }).validate : builtInValidate;
  const reply = (message: FromCheckWorker) => port.postMessage(message);

  const handle = async (message: ToCheckWorker): Promise<void> => {
    if (message.type === 'ping') return reply({ type: 'pong', id: message.id });
    if (message.type === 'edit') {
      // The main thread's store applied the same edit first and logged whatever it threw.
      await applyEdit(store, message.edit).catch(() => undefined);
      return;
    }
    const file = store.parsedFile(message.uri);
    if (!file) return reply({ type: 'unknown', id: message.id });
    try {
      reply({ type: 'checked', id: message.id, diagnostics: validate(file, { index: store.index, env: store.env, schema: store.schema }) });
    } catch (error) {
      reply({ type: 'failed', id: message.id, error: describeError(error) });
    }
  };

  let queue = Promise.resolve();
  port.on('message', (message: ToCheckWorker) => {
    queue = queue.then(() => handle(message));
  });
}
