import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { resolve } from 'node:path';
import {
  createConnection,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  FileChangeType,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
} from 'vscode-languageserver/node';
import { startServer, type ServerOptions } from '../../src/server/connection';
import { pathToUri } from '../../src/core/uris';

export interface TestServerOptions extends ServerOptions {
  /** Workspace folders (paths), sent as `workspaceFolders` at initialize. */
  folders?: string[];
  /** Run `src/server/server.ts --stdio` as a child process instead of in this process over in-memory streams. */
  childProcess?: boolean;
  /** Run this command (a server speaking LSP over stdio) instead; the bench starts dist/server.js and yaml-language-server this way. */
  command?: string[];
  /** Whether the client says it can watch files (then the server registers watchers instead of watching itself); default true. */
  clientWatchesFiles?: boolean;
}

export const LANGUAGE_ID = 'simone-integration';
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * A real LSP client connected to the real server: in-memory streams (as
 * microsoft/compose-language-service's TestConnection does) or a child process
 * over stdio. Keeps every notification the server sends, so tests can wait for
 * the diagnostics of a version.
 */
export class TestServer {
  /** Every publishDiagnostics, oldest first. */
  readonly published: PublishDiagnosticsParams[] = [];
  /** `window/logMessage` texts (errors the server logged). */
  readonly logs: string[] = [];
  /** Dynamic registrations the server asked for. */
  readonly registrations: Array<{ method: string; registerOptions?: unknown }> = [];
  initializeResult!: InitializeResult;
  private readonly versions = new Map<string, number>();
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly client: ProtocolConnection,
    private readonly dispose: () => void,
    /** Set for a child-process server; an in-process server must not get `exit` (it would end the test process). */
    readonly child?: ChildProcess,
  ) {
    client.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.push(params);
      for (const listener of [...this.listeners]) listener();
    });
    client.onNotification(LogMessageNotification.type, (params) => this.logs.push(params.message));
    client.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations);
    });
  }

  async open(uri: string, text: string, languageId = LANGUAGE_ID): Promise<void> {
    this.versions.set(uri, 1);
    await this.client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Replaces the whole text; returns the new version. */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.client.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  /** Applies incremental edits (ranges in the text before each edit, as LSP says); returns the new version. */
  async edit(uri: string, changes: Array<{ range: Range; text: string }>): Promise<number> {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    await this.client.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    await this.client.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Tells the server files changed on disk, as an editor's file watcher would. */
  async filesChanged(changes: Array<{ uri: string; type: 'created' | 'changed' | 'deleted' }>): Promise<void> {
    const types = { created: FileChangeType.Created, changed: FileChangeType.Changed, deleted: FileChangeType.Deleted };
    await this.client.sendNotification(DidChangeWatchedFilesNotification.type, { changes: changes.map((change) => ({ uri: change.uri, type: types[change.type] })) });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.client.sendRequest(method, params) as Promise<R>;
  }

  /** The latest diagnostics published for a URI, if any. */
  latestDiagnostics(uri: string): PublishDiagnosticsParams | undefined {
    for (let i = this.published.length - 1; i >= 0; i--) if (this.published[i].uri === uri) return this.published[i];
    return undefined;
  }

  /**
   * Resolves with the diagnostics of the latest publish for `uri` once it
   * satisfies `predicate` (default: any publish of the document's current
   * version, or any publish at all for a file that is not open).
   */
  waitForDiagnostics(uri: string, predicate?: (diagnostics: Diagnostic[], params: PublishDiagnosticsParams) => boolean, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Diagnostic[]> {
    const version = this.versions.get(uri);
    const accepts = predicate ?? ((_diagnostics: Diagnostic[], params: PublishDiagnosticsParams) => version === undefined || params.version === version);
    return new Promise((resolvePromise, reject) => {
      const check = () => {
        const latest = this.latestDiagnostics(uri);
        if (!latest || !accepts(latest.diagnostics, latest)) return false;
        this.listeners.delete(check);
        clearTimeout(timer);
        resolvePromise(latest.diagnostics);
        return true;
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        const latest = this.latestDiagnostics(uri);
        reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; latest: ${JSON.stringify(latest ?? null)}`));
      }, timeoutMs);
      if (!check()) this.listeners.add(check);
    });
  }

  /** Shuts the server down (shutdown, exit) and closes the connection. */
  async shutdown(): Promise<void> {
    try {
      await withTimeout(this.client.sendRequest(ShutdownRequest.type), 5_000);
      if (this.child && this.child.exitCode === null) {
        const exited = new Promise((resolveExit) => this.child!.once('exit', resolveExit));
        await this.client.sendNotification(ExitNotification.type);
        await withTimeout(exited, 5_000);
      }
    } finally {
      this.dispose();
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([promise, new Promise<T>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`no reply within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

/** Starts a server, initializes it with the folders, and returns the connected test client. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  let server: TestServer;
  const command = options.command ?? (options.childProcess ? [process.execPath, '--import', 'tsx', resolve(__dirname, '../../src/server/server.ts'), '--stdio'] : undefined);
  if (command) {
    const child = spawn(command[0], command.slice(1), { stdio: ['pipe', 'pipe', 'ignore'], env: { ...process.env, ...options.processEnv } });
    const client = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    client.listen();
    server = new TestServer(client, () => (client.dispose(), child.kill()), child);
  } else {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    const serverConnection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    startServer(serverConnection, { debounceMs: 50, ...options });
    const client = createProtocolConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    client.listen();
    server = new TestServer(client, () => {
      client.dispose();
      serverConnection.dispose();
    });
  }
  const folders = options.folders ?? [];
  server.initializeResult = await withTimeout(
    server.client.sendRequest(InitializeRequest.type, {
      // An in-process server given a process id would poll it forever and keep the test process alive.
      processId: command ? process.pid : null,
      rootUri: folders[0] ? pathToUri(folders[0]) : null,
      workspaceFolders: folders.map((folder) => ({ uri: pathToUri(folder), name: folder })),
      capabilities: {
        workspace: { didChangeWatchedFiles: { dynamicRegistration: options.clientWatchesFiles ?? true }, workspaceFolders: true },
        textDocument: { publishDiagnostics: { versionSupport: true }, synchronization: { dynamicRegistration: false } },
      },
    }),
    DEFAULT_TIMEOUT_MS,
  );
  await server.client.sendNotification(InitializedNotification.type, {});
  return server;
}
