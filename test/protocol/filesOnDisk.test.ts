import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../support/testConnection';
import { TempWorkspace } from '../support/tempWorkspace';

const INTEGRATIONS = '.simone/integrations';
const API = 'integration:\n  type: request_response\n  name: ok_api\n  base_url: ${BASE_URL}\n  endpoints:\n    status: /status\n';

describe('the language server reading a hostile workspace folder', () => {
  let workspace: TempWorkspace;
  let server: TestServer;
  let initializeMs: number;
  before(async () => {
    workspace = new TempWorkspace({ [`${INTEGRATIONS}/ok.yaml`]: API });
    for (const fifo of ['.env', `${INTEGRATIONS}/fifo.yaml`]) assert.equal(spawnSync('mkfifo', [workspace.path(fifo)]).status, 0);
    symlinkSync('/dev/zero', workspace.path(`${INTEGRATIONS}/zero.yaml`));
    writeFileSync(workspace.path(`${INTEGRATIONS}/utf16.yaml`), Buffer.from(`\uFEFF${API.replace('ok_api', 'utf16_api')}`, 'utf16le'));
    writeFileSync(workspace.path(`${INTEGRATIONS}/huge.yaml`), `# ${'x'.repeat(6 * 1024 * 1024)}\n`);
    const started = performance.now();
    // A child process: a server that blocked on the FIFO would freeze this test process too, were it in it.
    server = await startTestServer({ folders: [workspace.root], childProcess: true });
    initializeMs = performance.now() - started;
  });
  after(async () => {
    await server.shutdown();
    workspace.dispose();
  });

  it('answers initialize although the folder holds a FIFO .env and a FIFO x.yaml (the bound is generous)', () => {
    assert.ok(server.initializeResult.capabilities.textDocumentSync, 'initialized');
    assert.ok(initializeMs < 10_000, `${initializeMs} ms`);
  });

  it('indexes the readable file (the FIFO .env counts as empty: ${BASE_URL} is undefined)', async () => {
    const diagnostics = await server.waitForDiagnostics(workspace.uri(`${INTEGRATIONS}/ok.yaml`));
    assert.deepEqual(diagnostics.map((entry) => entry.code), ['env-undefined']);
  });

  it('shows one diagnostic at 1:1 on a UTF-16 file and on a file over the size limit', async () => {
    const utf16 = await server.waitForDiagnostics(workspace.uri(`${INTEGRATIONS}/utf16.yaml`));
    assert.deepEqual(utf16.map((entry) => [entry.code, entry.message, entry.range.start]), [['file-encoding', 'not UTF-8 text (looks like UTF-16)', { line: 0, character: 0 }]]);
    const huge = await server.waitForDiagnostics(workspace.uri(`${INTEGRATIONS}/huge.yaml`));
    assert.deepEqual(huge.map((entry) => [entry.code, entry.message]), [['file-too-large', 'huge.yaml is 6 MB, over the 5 MB limit for YAML files (SIMONE_MAX_YAML_SIZE): it is not read']]);
  });

  it('keeps those diagnostics when the files are opened: an editor\'s text is held to the same limit and encoding', async () => {
    for (const [file, code] of [['huge.yaml', 'file-too-large'], ['utf16.yaml', 'file-encoding']]) {
      const uri = workspace.uri(`${INTEGRATIONS}/${file}`);
      const before = server.published.length;
      // As an editor set to UTF-8 decodes the bytes: a UTF-16 file keeps its NULs.
      await server.open(uri, readFileSync(workspace.path(`${INTEGRATIONS}/${file}`), 'utf8'));
      const diagnostics = await server.waitForDiagnostics(uri, (_found, params) => server.published.indexOf(params) >= before);
      assert.deepEqual(diagnostics.map((entry) => [entry.code, entry.range.start]), [[code, { line: 0, character: 0 }]], file);
      await server.close(uri);
    }
  });

  it('still answers requests on an open document', async () => {
    const uri = workspace.uri(`${INTEGRATIONS}/open.yaml`);
    await server.open(uri, API.replace('ok_api', 'open_api'));
    const symbols = await server.request<Array<{ name: string }>>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.ok(symbols.some((symbol) => symbol.name === 'open_api'), JSON.stringify(symbols));
  });
});
