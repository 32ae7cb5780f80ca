import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource, type Diagnostic, type Hover } from 'vscode-languageserver/node';
import { languageFeatures } from '../../src/server/languageFeatures';
import { SECRET_NAMES_NOTIFICATION } from '../../src/server/protocol';
import { startTestServer, type TestServer } from '../support/testConnection';
import { TempWorkspace } from '../support/tempWorkspace';
import { TEST_VALIDATOR } from '../support/testValidator';

const QUEUES = `integration:
  type: message_queue
  name: broker
  connection_url: amqp://127.0.0.1:5672
  queues:
    - name: orders
      exchange: shop
    - name: invoices
      exchange: shop
`;

const EVENTS = `integration:
  type: event_driven
  name: shop_events
  publishers:
    - name: order_publisher
      events: [order_placed]
      destination: orders
  subscribers:
    - name: order_log
      events: [order_placed]
      handler: log
`;

const UNKNOWN_KEY = `integration:
  type: message_queue
  name: broker
  connection_url: amqp://127.0.0.1:5672
  prefetchh: 10
  queues:
    - name: orders
`;

const codes = (diagnostics: Diagnostic[]) => diagnostics.map((entry) => entry.code);
const hasCode = (code: string) => (diagnostics: Diagnostic[]) => diagnostics.some((entry) => entry.code === code);
const lacksCode = (code: string) => (diagnostics: Diagnostic[]) => !diagnostics.some((entry) => entry.code === code);
const INTEGRATIONS = '.simone/integrations';

describe('language server wiring over LSP', () => {
  describe('initialize', () => {
    let workspace: TempWorkspace;
    let server: TestServer;
    before(async () => {
      workspace = new TempWorkspace();
      server = await startTestServer({ folders: [workspace.root] });
    });
    after(async () => {
      await server?.shutdown();
      workspace?.dispose();
    });

    it('announces incremental sync, workspace folders and the server, and registers file watchers', async () => {
      const { capabilities, serverInfo } = server.initializeResult;
      assert.deepEqual(capabilities.textDocumentSync, { openClose: true, change: 2 });
      assert.equal(capabilities.workspace?.workspaceFolders?.supported, true);
      assert.equal(serverInfo?.name, 'simone-language-server');
      // Registration happens after `initialized`; give the server a moment.
      for (let i = 0; i < 50 && server.registrations.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      const watchers = (server.registrations.find((entry) => entry.method === 'workspace/didChangeWatchedFiles')?.registerOptions as { watchers: Array<{ globPattern: string }> }).watchers;
      assert.deepEqual(
        watchers.map((watcher) => watcher.globPattern),
        ['**/.simone/integrations/*.{yaml,yml}', '**/.simone/config/integrations.{yaml,yml}', '**/.env'],
      );
    });
  });

  describe('diagnostics', () => {
    let workspace: TempWorkspace;
    let server: TestServer;
    before(async () => {
      workspace = new TempWorkspace();
      server = await startTestServer({ folders: [workspace.root], debounceMs: 150 });
    });
    after(async () => {
      await server?.shutdown();
      workspace?.dispose();
    });

    it('are published on open with code, source, range and data', async () => {
      const uri = workspace.uri(`${INTEGRATIONS}/unknown.yaml`);
      await server.open(uri, UNKNOWN_KEY);
      const diagnostics = await server.waitForDiagnostics(uri);
      const unknown = diagnostics.find((entry) => entry.code === 'schema-unknown-property');
      assert.ok(unknown, `expected schema-unknown-property in ${JSON.stringify(codes(diagnostics))}`);
      assert.equal(unknown.source, 'simone');
      assert.equal(unknown.severity, 1);
      assert.deepEqual(unknown.range.start, { line: 4, character: 2 });
      assert.deepEqual((unknown.data as { suggestions?: string[] }).suggestions?.[0], 'prefetch');
    });

    it('are debounced on change: quick edits publish once, for the last version, with its problems', async () => {
      const uri = workspace.uri(`${INTEGRATIONS}/typing.yaml`);
      const text = UNKNOWN_KEY.replace('name: broker', 'name: typing').replace('name: orders', 'name: typing_orders');
      await server.open(uri, text);
      await server.waitForDiagnostics(uri, hasCode('schema-unknown-property'));
      const before = server.published.length;
      let last = 1;
      for (const typed of ['p', 'pr', 'pre', 'pref', 'prefetch']) last = await server.change(uri, text.replace('prefetchh', typed));
      const diagnostics = await server.waitForDiagnostics(uri, (_diagnostics, params) => params.version === last);
      assert.deepEqual(codes(diagnostics), [], 'the final text has no problems');
      const versions = server.published.slice(before).filter((params) => params.uri === uri).map((params) => params.version);
      assert.deepEqual(versions, [last], 'only the last version was validated');
    });
  });

  describe('across files', () => {
    let workspace: TempWorkspace;
    let server: TestServer;
    before(async () => {
      workspace = new TempWorkspace({ [`${INTEGRATIONS}/broker.yaml`]: QUEUES, [`${INTEGRATIONS}/broken.yaml`]: 'integration:\n  type: carrier_pigeon\n  name: broken\n' });
      server = await startTestServer({ folders: [workspace.root] });
    });
    after(async () => {
      await server?.shutdown();
      workspace?.dispose();
    });

    it('resolves names from files that are not open, and publishes those files’ own problems', async () => {
      const events = workspace.uri(`${INTEGRATIONS}/events.yaml`);
      await server.open(events, EVENTS);
      assert.deepEqual(codes(await server.waitForDiagnostics(events)), []);
      const broken = await server.waitForDiagnostics(workspace.uri(`${INTEGRATIONS}/broken.yaml`));
      assert.ok(hasCode('schema-enum')(broken), JSON.stringify(broken));
    });

    it('updates an open file when a queue it names is removed in another open file, and again when it is restored', async () => {
      const events = workspace.uri(`${INTEGRATIONS}/events.yaml`);
      const broker = workspace.uri(`${INTEGRATIONS}/broker.yaml`);
      await server.open(broker, QUEUES);
      await server.change(broker, QUEUES.replace('    - name: orders\n      exchange: shop\n', ''));
      const warned = await server.waitForDiagnostics(events, hasCode('reference-unknown'));
      const warning = warned.find((entry) => entry.code === 'reference-unknown')!;
      assert.equal(warning.severity, 2);
      assert.deepEqual(warning.range.start, { line: 6, character: 19 });
      await server.change(broker, QUEUES);
      assert.deepEqual(codes(await server.waitForDiagnostics(events, lacksCode('reference-unknown'))), []);
    });

    it('follows files deleted and created on disk (didChangeWatchedFiles) while the other file stays open', async () => {
      const events = workspace.uri(`${INTEGRATIONS}/events.yaml`);
      const broker = workspace.uri(`${INTEGRATIONS}/broker.yaml`);
      await server.close(broker);
      await server.filesChanged([{ uri: workspace.remove(`${INTEGRATIONS}/broker.yaml`), type: 'deleted' }]);
      await server.waitForDiagnostics(events, hasCode('reference-unknown'));
      await server.filesChanged([{ uri: workspace.write(`${INTEGRATIONS}/broker.yaml`, QUEUES), type: 'created' }]);
      await server.waitForDiagnostics(events, lacksCode('reference-unknown'));
    });

    it('keeps a closed workspace file’s disk diagnostics, and clears those of a file outside the workspace', async () => {
      const broken = workspace.uri(`${INTEGRATIONS}/broken.yaml`);
      await server.open(broken, 'integration:\n  type: message_queue\n  name: broken\n  queues: []\n');
      await server.waitForDiagnostics(broken, lacksCode('schema-enum'));
      await server.close(broken);
      await server.waitForDiagnostics(broken, hasCode('schema-enum'));

      const outside = 'file:///nowhere/.simone/integrations/elsewhere.yaml';
      await server.open(outside, UNKNOWN_KEY);
      await server.waitForDiagnostics(outside, hasCode('schema-unknown-property'));
      await server.close(outside);
      await server.waitForDiagnostics(outside, (diagnostics) => diagnostics.length === 0);
    });
  });

  describe('.env files', () => {
    let workspace: TempWorkspace;
    let server: TestServer;
    before(async () => {
      workspace = new TempWorkspace();
      server = await startTestServer({ folders: [workspace.root], processEnv: {} });
    });
    after(async () => {
      await server?.shutdown();
      workspace?.dispose();
    });

    it('re-resolves ${VAR}s when a .env file is created, changed or deleted', async () => {
      const uri = workspace.uri(`${INTEGRATIONS}/broker.yaml`);
      await server.open(uri, QUEUES.replace('amqp://127.0.0.1:5672', '${SIMONE_TEST_BROKER_URL}'));
      await server.waitForDiagnostics(uri, hasCode('env-undefined'));
      await server.filesChanged([{ uri: workspace.write('.simone/.env', 'SIMONE_TEST_BROKER_URL=amqp://127.0.0.1:5672\n'), type: 'created' }]);
      await server.waitForDiagnostics(uri, lacksCode('env-undefined'));
      await server.filesChanged([{ uri: workspace.remove('.simone/.env'), type: 'deleted' }]);
      await server.waitForDiagnostics(uri, hasCode('env-undefined'));
    });

    it("takes the names of the editor's stored secrets as defined, values unseen, and shrugs off bad ones", async () => {
      const uri = workspace.uri(`${INTEGRATIONS}/secrets.yaml`);
      const text = 'integration:\n  type: request_response\n  name: secret_api\n  base_url: ${SIMONE_TEST_API_URL}\n  timeout: ${SIMONE_TEST_TIMEOUT}\n  auth:\n    type: bearer\n    token: ${SIMONE_TEST_TOKEN}\n  endpoints:\n    ping: /ping\n';
      await server.open(uri, text);
      const undefinedNames = (diagnostics: Diagnostic[]) => diagnostics.filter((entry) => entry.code === 'env-undefined').length;
      assert.equal(undefinedNames(await server.waitForDiagnostics(uri, hasCode('env-undefined'))), 3);
      await server.client.sendNotification(SECRET_NAMES_NOTIFICATION, { names: ['SIMONE_TEST_TOKEN', 'SIMONE_TEST_TIMEOUT', 'SIMONE_TEST_API_URL'] });
      // Defined, so no warning; the typed fields (a duration, a URL) are accepted unseen, like any unresolved reference.
      assert.deepEqual(codes(await server.waitForDiagnostics(uri, lacksCode('env-undefined'))), []);
      const hover = await server.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 7, character: 15 } });
      assert.match(JSON.stringify(hover.contents), /defined in VS Code's secret storage \(its value is not shown here\)/);
      for (const bad of [null, { names: 'SIMONE_TEST_TOKEN' }, { names: [42, 'not a name', 'SIMONE_TEST_TOKEN'] }]) await server.client.sendNotification(SECRET_NAMES_NOTIFICATION, bad);
      const [only] = (await server.waitForDiagnostics(uri, (diagnostics) => undefinedNames(diagnostics) === 2)).filter((entry) => entry.code === 'env-undefined' && (entry.data as { variable: string }).variable === 'SIMONE_TEST_TOKEN');
      assert.equal(only, undefined, 'the one good name of the last list still counts');
    });
  });

  describe('without client file watching', () => {
    let workspace: TempWorkspace;
    let server: TestServer;
    before(async () => {
      workspace = new TempWorkspace({ [`${INTEGRATIONS}/broker.yaml`]: QUEUES });
      server = await startTestServer({ folders: [workspace.root], clientWatchesFiles: false });
    });
    after(async () => {
      await server?.shutdown();
      workspace?.dispose();
    });

    it('watches the folders itself', async () => {
      const events = workspace.uri(`${INTEGRATIONS}/events.yaml`);
      await server.open(events, EVENTS);
      assert.deepEqual(codes(await server.waitForDiagnostics(events)), []);
      assert.equal(server.registrations.length, 0);
      workspace.write(`${INTEGRATIONS}/broker.yaml`, QUEUES.replace('name: orders', 'name: orders_v2'));
      await server.waitForDiagnostics(events, hasCode('reference-unknown'));
    });
  });

  describe('workspace folders', () => {
    let first: TempWorkspace;
    let second: TempWorkspace;
    let server: TestServer;
    before(async () => {
      first = new TempWorkspace();
      second = new TempWorkspace({ [`${INTEGRATIONS}/broker.yaml`]: QUEUES });
      server = await startTestServer({ folders: [first.root] });
    });
    after(async () => {
      await server?.shutdown();
      first?.dispose();
      second?.dispose();
    });

    it('indexes a folder added later and forgets it when it is removed', async () => {
      const events = first.uri(`${INTEGRATIONS}/events.yaml`);
      await server.open(events, EVENTS);
      await server.waitForDiagnostics(events, hasCode('reference-unknown'));
      const folder = { uri: second.uri(''), name: 'second' };
      await server.client.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [folder], removed: [] } });
      await server.waitForDiagnostics(events, lacksCode('reference-unknown'));
      // The added folder's own file is checked once the folder is read.
      await server.waitForDiagnostics(second.uri(`${INTEGRATIONS}/broker.yaml`));
      await server.client.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [folder] } });
      await server.waitForDiagnostics(events, hasCode('reference-unknown'));
      assert.deepEqual(server.latestDiagnostics(second.uri(`${INTEGRATIONS}/broker.yaml`))?.diagnostics, []);
    });
  });

  describe('cancellation', () => {
    let workspace: TempWorkspace;
    let server: TestServer;
    before(async () => {
      // Enough files that the first index is still being read when the request and its cancellation arrive.
      workspace = new TempWorkspace(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`${INTEGRATIONS}/broker_${i}.yaml`, QUEUES.replace(/broker|orders|invoices/g, (name) => `${name}_${i}`)])));
      server = await startTestServer({ folders: [workspace.root] });
    });
    after(async () => {
      await server?.shutdown();
      workspace?.dispose();
    });

    it('answers a request on a file not open, cancelled while the workspace is being indexed, with RequestCancelled', async () => {
      // Only requests on files not open wait for the index (an open document is answered at once).
      const uri = workspace.uri(`${INTEGRATIONS}/broker_299.yaml`);
      const source = new CancellationTokenSource();
      const reply = server.client.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }, source.token);
      source.cancel();
      await assert.rejects(reply, (error: { code?: number }) => error.code === -32800);
    });
  });

  describe('robustness', () => {
    let workspace: TempWorkspace;
    let server: TestServer;
    before(async () => {
      workspace = new TempWorkspace();
      server = await startTestServer({
        folders: [workspace.root],
        validator: TEST_VALIDATOR,
        features: {
          ...languageFeatures,
          hover: () => {
            throw new TypeError('hover exploded');
          },
          documentSymbols: () => [],
        },
      });
    });
    after(async () => {
      await server?.shutdown();
      workspace?.dispose();
    });

    it('answers a crashing request with an empty result, logs it, and keeps serving', async () => {
      const uri = workspace.uri(`${INTEGRATIONS}/broker.yaml`);
      await server.open(uri, QUEUES);
      const hover = await server.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 4 } });
      assert.equal(hover, null);
      assert.ok(server.logs.some((line) => line.startsWith('hover failed: TypeError: hover exploded')), server.logs.join('\n'));
      assert.deepEqual(await server.request('textDocument/documentSymbol', { textDocument: { uri } }), []);
    });

    it('replaces the diagnostics of a text whose validation crashes with one internal error, without the secret in the log', async () => {
      const uri = workspace.uri(`${INTEGRATIONS}/crashing.yaml`);
      const text = UNKNOWN_KEY.replace('name: broker', 'name: crashing').replace('name: orders', 'name: crashing_orders');
      await server.open(uri, text);
      await server.waitForDiagnostics(uri, hasCode('schema-unknown-property'));
      await server.change(uri, `${text}# CRASH\n`);
      const crashed = await server.waitForDiagnostics(uri);
      assert.deepEqual(codes(crashed), ['internal-error']);
      assert.deepEqual(crashed[0].range, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
      const logged = server.logs.find((line) => line.includes('validation exploded'));
      assert.ok(logged && logged.includes('amqp://user:***@example.com') && !logged.includes('hunter2'), logged);
      await server.change(uri, text);
      assert.deepEqual(codes(await server.waitForDiagnostics(uri)), ['schema-unknown-property']);
    });

    it('answers requests for documents it does not know with an empty result', async () => {
      assert.deepEqual(await server.request('textDocument/documentSymbol', { textDocument: { uri: 'file:///never/opened.yaml' } }), []);
    });
  });

  describe('as a child process over stdio (src/server/server.ts --stdio)', () => {
    let workspace: TempWorkspace;
    let server: TestServer;
    before(async () => {
      workspace = new TempWorkspace({ [`${INTEGRATIONS}/broker.yaml`]: QUEUES });
      server = await startTestServer({ folders: [workspace.root], childProcess: true });
    });
    after(() => workspace?.dispose());

    it('initializes, validates an open file against the indexed workspace, and exits 0 after shutdown and exit', async () => {
      const events = workspace.uri(`${INTEGRATIONS}/events.yaml`);
      await server.open(events, EVENTS.replace('destination: orders', 'destination: ordres'));
      const diagnostics = await server.waitForDiagnostics(events, hasCode('reference-unknown'));
      assert.match(diagnostics.find((entry) => entry.code === 'reference-unknown')!.message, /orders/);
      const exited = new Promise<number | null>((resolve) => server.child!.once('exit', (code) => resolve(code)));
      await server.shutdown();
      assert.equal(await exited, 0);
    });
  });
});
