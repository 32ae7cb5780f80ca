import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  LSPErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type ServerCapabilities,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ConfigFile } from '../core/configFile';
import { VARIABLE_NAME } from '../core/env';
import type { LanguageContext } from '../language/context';
import { Checker } from './checker';
import type { StoreEdit } from './checkProtocol';
import { describeError } from './describeError';
import { DiagnosticsPublisher } from './diagnosticsPublisher';
import { DocumentStore } from './documentStore';
import { watchFolders, WATCHED_GLOBS } from './folderWatcher';
import { languageFeatures as defaultFeatures, type LanguageFeatures } from './languageFeatures';
import { SECRET_NAMES_NOTIFICATION, type SecretNamesParams } from './protocol';
import { canonicalUri, pathToUri, uriToPath } from '../core/uris';
import { findIntegrationFilesInWorker } from './workerThread';

export interface ServerOptions {
  features?: LanguageFeatures;
  /** A module whose `validate` export the check worker runs instead of the built-in validation (tests). */
  validator?: string;
  /** Delay between the last edit of a burst and validation (an edit after a quiet spell is validated at once). */
  debounceMs?: number;
  /** How long one file's check may run before it is stopped and the file reported as not checked. */
  checkTimeLimitMs?: number;
  processEnv?: NodeJS.ProcessEnv;
}

const CHECK_TIME_LIMIT_MS = 30_000;

/** A TextEdit's `newText`: the text a quick fix writes into the user's own files (a secret moved to `.env`). */
const USER_EDITS: ReadonlySet<string> = new Set(['newText']);

const COMPLETION_TRIGGERS = ['$', '{', ':', '.', '/', '-'];

/** The workspace folders the client named: `workspaceFolders`, else the older `rootUri` / `rootPath`. */
function foldersOf(params: InitializeParams): string[] {
  const uris = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
  const paths = uris.map(uriToPath).filter((path): path is string => path !== undefined);
  return paths.length || !params.rootPath ? paths : [params.rootPath];
}

/** The edit that brings a replica to an open document's current text. */
function openEdit(document: TextDocument, kind: 'open' | 'change'): StoreEdit {
  return { kind, uri: document.uri, languageId: document.languageId, version: document.version, text: document.getText() };
}

/**
 * Every LSP handler of the Simone language server, on any connection (stdio,
 * IPC, in-memory streams in tests). Handlers are thin: edits update the store
 * (and, forwarded, the check worker's replica of it); requests find the parsed
 * file and call a pure feature; an exception is logged and answered with an
 * empty result, so bad input never takes the server down. Validation runs in
 * the check worker, so no check delays a request.
 */
export function startServer(connection: Connection, options: ServerOptions = {}): void {
  const features = options.features ?? defaultFeatures;
  const documents = new TextDocuments(TextDocument);
  const processEnv = options.processEnv ?? process.env;
  const store = new DocumentStore(processEnv);
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let clientWatchesFiles = false;
  const disposables: Array<{ dispose(): void }> = [];
  // Every answer, diagnostic and log line goes out with the workspace's secret values masked; the edits a user
  // applies to their own files stay whole.
  const logError = (message: string) => connection.console.error(store.redactor().redact(message));
  const masked = <T>(answer: T): T => store.redactor().redactDeep(answer, USER_EDITS);
  const checkTimeLimitMs = options.checkTimeLimitMs ?? CHECK_TIME_LIMIT_MS;

  const checker = new Checker({
    processEnv,
    validator: options.validator,
    timeLimitMs: checkTimeLimitMs,
    replay: () => [
      { kind: 'folders', added: [...store.workspaceFolders()], removed: [] },
      { kind: 'secret-names', names: [...store.secretNames()] },
      ...store.openDocumentList().map((document) => openEdit(document, 'open')),
    ],
    logError,
  });
  const publisher = new DiagnosticsPublisher(
    store,
    checker,
    { publish: (uri, diagnostics, version) => void connection.sendDiagnostics({ uri, diagnostics: masked(diagnostics), version }), logError },
    options.debounceMs ?? 150,
    checkTimeLimitMs,
    ready,
  );

  disposables.push(
    store.onDidChangeIndex((change) => publisher.inBackground(store.filesMentioning(change.changedNames).filter((uri) => uri !== change.uri))),
    store.onDidChangeEnvironment(() => publisher.inBackground(store.knownUris())),
  );

  /**
   * Wraps a request handler: on an open document it answers at once (with the names indexed so far), on
   * another file it waits for the index (the file may not be read yet); honours cancellation; answers
   * `empty` on any exception.
   */
  function guard<P extends { textDocument: { uri: string } }, R>(method: string, empty: R, run: (file: ConfigFile, params: P, context: LanguageContext) => R) {
    return async (params: P, token: CancellationToken): Promise<R | ResponseError<void>> => {
      if (!store.isOpen(params.textDocument.uri)) await ready;
      if (token.isCancellationRequested) return new ResponseError(LSPErrorCodes.RequestCancelled, `${method} cancelled`);
      try {
        const file = store.parsedFile(params.textDocument.uri);
        return file ? masked(run(file, params, store.context())) : empty;
      } catch (error) {
        logError(`${method} failed: ${describeError(error)}`);
        return empty;
      }
    };
  }

  /** Wraps a notification handler: an exception is logged, and the server goes on. */
  function guardNotification<P>(method: string, run: (params: P) => void) {
    return (params: P): void => {
      try {
        run(params);
      } catch (error) {
        logError(`${method} failed: ${describeError(error)}`);
      }
    };
  }

  connection.onInitialize((params): InitializeResult => {
    clientWatchesFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    void store
      .addFolders(foldersOf(params), findIntegrationFilesInWorker)
      .catch((error) => logError(`indexing the workspace failed: ${describeError(error)}`))
      .finally(markReady);
    // Started once the store holds the folders: its replica indexes them too.
    checker.start();
    const capabilities: ServerCapabilities = {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    };
    if (features.complete) capabilities.completionProvider = { triggerCharacters: COMPLETION_TRIGGERS, resolveProvider: false };
    if (features.hover) capabilities.hoverProvider = true;
    if (features.documentSymbols) capabilities.documentSymbolProvider = true;
    if (features.foldingRanges) capabilities.foldingRangeProvider = true;
    if (features.selectionRanges) capabilities.selectionRangeProvider = true;
    if (features.definition) capabilities.definitionProvider = true;
    if (features.references) capabilities.referencesProvider = true;
    if (features.rename) capabilities.renameProvider = features.prepareRename ? { prepareProvider: true } : true;
    if (features.codeActions) capabilities.codeActionProvider = true;
    if (features.documentLinks) capabilities.documentLinkProvider = { resolveProvider: false };
    if (features.codeLenses) capabilities.codeLensProvider = { resolveProvider: false };
    return { capabilities, serverInfo: { name: 'simone-language-server', version: '0.1.0' } };
  });

  connection.onInitialized(() => {
    if (clientWatchesFiles) {
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) })
        .catch((error) => logError(`registering file watchers failed: ${describeError(error)}`));
    } else {
      // The client cannot watch for us: watch the folders ourselves once they are known.
      void ready.then(() => disposables.push(watchFolders(store.workspaceFolders(), (path, deleted) => diskChanged(path, deleted))));
    }
    void ready.then(() => publisher.inBackground(store.knownUris()));
    connection.workspace.onDidChangeWorkspaceFolders(guardNotification('didChangeWorkspaceFolders', (event) => {
      const paths = (folders: typeof event.added) => folders.map((folder) => uriToPath(folder.uri)).filter((path): path is string => path !== undefined);
      const edit = { kind: 'folders', added: paths(event.added), removed: paths(event.removed) } as const;
      checker.forward(edit);
      for (const uri of store.removeFolders(edit.removed)) publisher.clear(uri);
      // New files may resolve (or duplicate) names anywhere: every file is checked again.
      void store
        .addFolders(edit.added, findIntegrationFilesInWorker)
        .catch((error) => logError(`indexing added folders failed: ${describeError(error)}`))
        .then(() => publisher.inBackground(store.knownUris()));
    }));
  });

  function diskChanged(path: string, deleted: boolean): void {
    checker.forward({ kind: 'disk', path, deleted });
    // A `.env` change announces itself (onDidChangeEnvironment).
    const change = store.diskChanged(path, deleted);
    if (change === 'deleted') publisher.clear(pathToUri(path));
    else if (change === 'changed') publisher.inBackground([pathToUri(path)]);
  }

  connection.onNotification(
    SECRET_NAMES_NOTIFICATION,
    guardNotification(SECRET_NAMES_NOTIFICATION, (params: SecretNamesParams) => {
      const names = Array.isArray(params?.names) ? params.names.filter((name): name is string => typeof name === 'string' && VARIABLE_NAME.test(name)) : [];
      checker.forward({ kind: 'secret-names', names });
      store.setSecretNames(names);
    }),
  );

  connection.onDidChangeWatchedFiles(
    guardNotification('didChangeWatchedFiles', (params) => {
      for (const change of params.changes) {
        const path = uriToPath(change.uri);
        if (path) diskChanged(path, change.type === FileChangeType.Deleted);
      }
    }),
  );

  documents.onDidOpen(
    guardNotification('didOpen', (event) => {
      checker.forward(openEdit(event.document, 'open'));
      publisher.now(store.open(event.document));
    }),
  );
  // TextDocuments reports an opening as a content change too: that version is parsed already.
  // Every edit reaches the worker before the store, whose index changes schedule checks at once.
  documents.onDidChangeContent(
    guardNotification('didChange', (event) => {
      if (store.isParsed(event.document)) return;
      checker.forward(openEdit(event.document, 'change'));
      store.changed(event.document);
      publisher.debounced(canonicalUri(event.document.uri));
    }),
  );
  documents.onDidClose(
    guardNotification('didClose', (event) => {
      checker.forward({ kind: 'close', uri: event.document.uri });
      const uri = canonicalUri(event.document.uri);
      if (store.close(event.document.uri)) publisher.inBackground([uri]);
      else publisher.clear(uri, event.document.uri);
    }),
  );

  if (features.complete) connection.onCompletion(guard('completion', null, (file, params, context) => features.complete!(file, params.position, context)));
  if (features.hover) connection.onHover(guard('hover', null, (file, params, context) => features.hover!(file, params.position, context)));
  if (features.documentSymbols) connection.onDocumentSymbol(guard('documentSymbol', [], (file) => features.documentSymbols!(file)));
  if (features.foldingRanges) connection.onFoldingRanges(guard('foldingRange', [], (file) => features.foldingRanges!(file)));
  if (features.selectionRanges) connection.onSelectionRanges(guard('selectionRange', [], (file, params) => features.selectionRanges!(file, params.positions)));
  if (features.definition) connection.onDefinition(guard('definition', [], (file, params, context) => features.definition!(file, params.position, context)));
  if (features.references) connection.onReferences(guard('references', [], (file, params, context) => features.references!(file, params.position, context, params.context.includeDeclaration)));
  if (features.prepareRename) connection.onPrepareRename(guard('prepareRename', null, (file, params, context) => features.prepareRename!(file, params.position, context)));
  if (features.rename) connection.onRenameRequest(guard('rename', null, (file, params, context) => features.rename!(file, params.position, params.newName, context)));
  if (features.codeActions) connection.onCodeAction(guard('codeAction', [], (file, params, context) => features.codeActions!(file, params.range, params.context.diagnostics, context)));
  if (features.documentLinks) connection.onDocumentLinks(guard('documentLink', [], (file) => features.documentLinks!(file)));
  if (features.codeLenses) connection.onCodeLens(guard('codeLens', [], (file, _params, context) => features.codeLenses!(file, context)));

  connection.onShutdown(() => {
    publisher.dispose();
    checker.dispose();
    for (const disposable of disposables) disposable.dispose();
  });

  documents.listen(connection);
  connection.listen();
}
