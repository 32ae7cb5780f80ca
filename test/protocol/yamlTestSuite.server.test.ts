import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver/node';
import { sharedTestdata, yamlTestCases } from '../support/sharedTestdata';
import { startTestServer, type TestServer } from '../support/testConnection';
import { TempWorkspace } from '../support/tempWorkspace';

const suite = sharedTestdata('yaml-test-suite');
const EDITS_PER_CASE = 3;
/** What random edits type: YAML's structural characters, a key, a variable, a line break. */
const TYPED = [':', '- ', '\n', '  ', '{', '}', '[', ']', '#', '"', "'", '&a', '*a', '!!str ', '---\n', 'name: x', 'type: ', '${', '${VAR}', '|\n', '? ', ',', '\t', '\r\n'];

/** mulberry32: a small deterministic PRNG, so a failing case is reproducible. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One random edit: typing at a place, deleting a slice, or replacing a slice with typed text. */
function randomEdit(document: TextDocument, next: () => number): { range: Range; text: string } {
  const text = document.getText();
  const start = Math.floor(next() * (text.length + 1));
  const kind = next();
  const typed = TYPED[Math.floor(next() * TYPED.length)];
  const end = kind < 0.4 ? start : Math.min(text.length, start + 1 + Math.floor(next() * 12));
  return { range: { start: document.positionAt(start), end: document.positionAt(end) }, text: kind < 0.7 ? typed : '' };
}

describe('yaml-test-suite opened and edited through the language server', { skip: suite === undefined }, () => {
  const cases = suite ? yamlTestCases(suite) : [];
  let workspace: TempWorkspace;
  let server: TestServer;
  before(async () => {
    workspace = new TempWorkspace();
    server = await startTestServer({ folders: [workspace.root], debounceMs: 0 });
  });
  after(async () => {
    await server?.shutdown();
    workspace?.dispose();
  });

  it('publishes diagnostics for every version and answers every completion, hover and symbol request, with no handler failing', async () => {
    assert.ok(cases.length > 300, `expected the whole corpus, found ${cases.length} cases`);
    const failures: string[] = [];
    for (const [caseNumber, testCase] of cases.entries()) {
      const next = random(caseNumber + 1);
      const uri = workspace.uri(`.simone/integrations/${testCase.id.replace(/\//g, '_')}.yaml`);
      let document = TextDocument.create(uri, 'simone-integration', 1, readFileSync(testCase.input, 'utf8'));
      await server.open(uri, document.getText());
      await server.waitForDiagnostics(uri);
      for (let edit = 0; edit < EDITS_PER_CASE; edit++) {
        const change = randomEdit(document, next);
        const version = await server.edit(uri, [change]);
        document = TextDocument.update(document, [change], version);
        const position: Position = document.positionAt(Math.floor(next() * (document.getText().length + 1)));
        const at = { textDocument: { uri }, position };
        // A rejected request (an error reply) fails the run; a null or empty reply is an answer.
        await Promise.all([
          server.waitForDiagnostics(uri),
          server.request('textDocument/completion', at),
          server.request('textDocument/hover', at),
          server.request('textDocument/documentSymbol', { textDocument: { uri } }),
          server.request('textDocument/foldingRange', { textDocument: { uri } }),
        ]).catch((error: Error) => failures.push(`${testCase.id} edit ${edit}: ${error.message}`));
      }
      await server.close(uri);
    }
    assert.deepEqual(failures, []);
    assert.deepEqual(
      server.logs.filter((line) => line.includes(' failed: ')),
      [],
      'handlers that threw (answered empty, but a bug)',
    );
  });
});
