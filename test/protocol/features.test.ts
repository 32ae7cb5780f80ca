import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, CodeLens, CompletionList, Diagnostic, DocumentLink, DocumentSymbol, FoldingRange, Hover, Location, SelectionRange, WorkspaceEdit } from 'vscode-languageserver-types';
import { cursorAt } from '../support/markers';
import { TempWorkspace } from '../support/tempWorkspace';
import { startTestServer, type TestServer } from '../support/testConnection';

/** Every language feature over a real LSP connection to the real server, on a workspace on disk. */

const QUEUES = `integration:
  type: message_queue
  name: broker
  connection_url: amqp://127.0.0.1:5672
  queues:
    - name: task_queue
`;

const EVENTS = `integration:
  type: event_driven
  name: events
  description: Project events to the queue
  publishers:
    - name: p
      events: [task_created]
      destination: task_queue
  subscribers:
    - name: s
      events: [task_created]
      handler: queue:task_queue
`;

const USERS = `# The user service
# and its endpoints
integration:
  type: request_response
  name: users
  base_url: https://api.example.com
  timeout: 1m30s
  endpoints:
    get_user: /users/{id}
  auth:
    type: bearer
    token: \${API_TOKEN}
`;

describe('language features over LSP', () => {
  let workspace: TempWorkspace;
  /** A second workspace folder, without a .env. */
  let bare: TempWorkspace;
  let server: TestServer;
  let usersUri: string;
  let eventsUri: string;
  let queuesUri: string;

  before(async () => {
    workspace = new TempWorkspace({
      '.simone/integrations/queues.yaml': QUEUES,
      '.simone/integrations/events.yaml': EVENTS,
      '.simone/integrations/users.yaml': USERS,
      '.env': 'API_TOKEN=tok-very-secret\n',
    });
    usersUri = workspace.uri('.simone/integrations/users.yaml');
    eventsUri = workspace.uri('.simone/integrations/events.yaml');
    queuesUri = workspace.uri('.simone/integrations/queues.yaml');
    bare = new TempWorkspace();
    server = await startTestServer({ folders: [workspace.root, bare.root], processEnv: {} });
    await server.open(usersUri, USERS);
    await server.open(eventsUri, EVENTS);
    await server.waitForDiagnostics(eventsUri);
  });

  after(async () => {
    await server?.shutdown();
    workspace?.dispose();
    bare?.dispose();
  });

  const doc = (uri: string) => ({ textDocument: { uri } });

  it('completion: keys of the type on a blank line of half-typed YAML, and queue names from another file', async () => {
    const { text, position } = cursorAt('integration:\n  type: database\n  name: warehouse\n  ‸\n');
    const uri = workspace.uri('.simone/integrations/new.yaml');
    await server.open(uri, text);
    const keys = await server.request<CompletionList>('textDocument/completion', { ...doc(uri), position });
    const labels = keys.items.map((item) => item.label);
    assert.ok(labels.includes('sync_tables') && !labels.includes('endpoints'));
    const typed = cursorAt(EVENTS.replace('destination: task_queue', 'destination: ta‸'));
    await server.change(eventsUri, typed.text);
    const names = await server.request<CompletionList>('textDocument/completion', { ...doc(eventsUri), position: typed.position });
    assert.deepEqual(names.items.map((item) => item.label), ['task_queue']);
    await server.change(eventsUri, EVENTS);
    await server.close(uri);
  });

  it('hover: a variable from .env, masked, with its origin; a duration in words', async () => {
    const variable = await server.request<Hover>('textDocument/hover', { ...doc(usersUri), position: { line: 11, character: 15 } });
    const text = (variable.contents as { value: string }).value;
    assert.ok(!text.includes('tok-very-secret'));
    assert.match(text, /is set in .* \(\d+ characters\)/);
    assert.ok(text.includes(workspace.path('.env')), text);
    const duration = await server.request<Hover>('textDocument/hover', { ...doc(usersUri), position: { line: 6, character: 12 } });
    assert.match((duration.contents as { value: string }).value, /1 minute 30 seconds/);
  });

  it('document symbols: the integration with its endpoints', async () => {
    const symbols = await server.request<DocumentSymbol[]>('textDocument/documentSymbol', doc(usersUri));
    assert.deepEqual(symbols.map((symbol) => [symbol.name, symbol.detail, symbol.children?.map((child) => child.name)]), [['users', 'request_response', ['get_user']]]);
  });

  it('folding ranges: the comment block, maps and lists', async () => {
    const folds = await server.request<FoldingRange[]>('textDocument/foldingRange', doc(usersUri));
    assert.deepEqual(folds.map((fold) => [fold.startLine, fold.endLine]), [[0, 1], [2, 11], [7, 8], [9, 11]]);
  });

  it('selection ranges: from a scalar outwards', async () => {
    const [selection] = await server.request<SelectionRange[]>('textDocument/selectionRange', { ...doc(usersUri), positions: [{ line: 8, character: 20 }] });
    assert.deepEqual(selection.range, { start: { line: 8, character: 14 }, end: { line: 8, character: 25 } });
    assert.deepEqual(selection.parent?.range, { start: { line: 8, character: 4 }, end: { line: 8, character: 25 } });
  });

  it('definition: a destination goes to the queue in a file that is not open', async () => {
    const locations = await server.request<Location[]>('textDocument/definition', { ...doc(eventsUri), position: { line: 7, character: 20 } });
    assert.deepEqual(locations, [{ uri: queuesUri, range: { start: { line: 5, character: 12 }, end: { line: 5, character: 22 } } }]);
  });

  it('references: every use of a queue, from its declaration', async () => {
    const locations = await server.request<Location[]>('textDocument/references', { ...doc(queuesUri), position: { line: 5, character: 14 }, context: { includeDeclaration: true } });
    assert.deepEqual(locations.map((entry) => `${entry.uri === eventsUri ? 'events' : 'queues'}:${entry.range.start.line}:${entry.range.start.character}`).sort(), ['events:11:21', 'events:7:19', 'queues:5:12']);
  });

  it('rename: a queue across files, and a refused invalid name', async () => {
    const prepared = await server.request<{ placeholder: string }>('textDocument/prepareRename', { ...doc(eventsUri), position: { line: 7, character: 20 } });
    assert.equal(prepared.placeholder, 'task_queue');
    const edit = await server.request<WorkspaceEdit>('textDocument/rename', { ...doc(eventsUri), position: { line: 7, character: 20 }, newName: 'jobs' });
    assert.deepEqual(Object.keys(edit.changes ?? {}).sort(), [eventsUri, queuesUri].sort());
    assert.equal(edit.changes?.[eventsUri].length, 2);
    const refused = await server.request<WorkspaceEdit | null>('textDocument/rename', { ...doc(eventsUri), position: { line: 2, character: 9 }, newName: 'Not Valid' }).catch((error: Error) => error);
    assert.ok(refused === null || refused instanceof Error, 'an invalid integration name gives no edit');
  });

  it('code action: a literal secret moves to a .env that is created', async () => {
    const uri = bare.uri('.simone/integrations/secret.yaml');
    const text = 'integration:\n  type: request_response\n  name: sub\n  endpoints: {a: https://a.example.com}\n  auth:\n    type: bearer\n    token: literal-token\n';
    bare.write('.simone/integrations/secret.yaml', text);
    await server.open(uri, text);
    const diagnostics = await server.waitForDiagnostics(uri);
    const secret = diagnostics.filter((entry: Diagnostic) => entry.code === 'secret-literal');
    assert.equal(secret.length, 1);
    const actions = await server.request<CodeAction[]>('textDocument/codeAction', { ...doc(uri), range: secret[0].range, context: { diagnostics: secret } });
    const move = actions.find((action) => action.title.startsWith('Move the secret'));
    assert.ok(move?.edit?.documentChanges, JSON.stringify(actions.map((action) => action.title)));
    const [create, envEdit, yamlEdit] = move.edit.documentChanges as Array<Record<string, unknown>>;
    assert.equal(create.kind, 'create');
    assert.equal(create.uri, bare.uri('.env'));
    assert.deepEqual((envEdit as { edits: Array<{ newText: string }> }).edits.map((entry) => entry.newText), ['SUB_AUTH_TOKEN=literal-token\n']);
    assert.deepEqual((yamlEdit as { edits: Array<{ newText: string }> }).edits.map((entry) => entry.newText), ['${SUB_AUTH_TOKEN}']);
    assert.ok(actions.some((action) => action.title === 'Disable secret-literal on this line'));
    await server.close(uri);
  });

  it('document links: the base URL', async () => {
    const links = await server.request<DocumentLink[]>('textDocument/documentLink', doc(usersUri));
    assert.deepEqual(links.map((link) => link.target), ['https://api.example.com']);
  });

  it('code lenses: test, per endpoint, and health', async () => {
    const lenses = await server.request<CodeLens[]>('textDocument/codeLens', doc(usersUri));
    assert.deepEqual(lenses.map((lens) => [lens.range.start.line, lens.command?.title, lens.command?.command]), [
      [2, 'Test endpoint', 'simone.testEndpoint'],
      [8, 'Test', 'simone.testEndpoint'],
      [2, 'Health', 'simone.showHealth'],
    ]);
    assert.deepEqual(lenses[1].command?.arguments, [{ uri: usersUri, integration: 'users', endpoint: 'get_user' }]);
  });
});
