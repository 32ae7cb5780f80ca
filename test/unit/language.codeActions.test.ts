import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CodeAction, TextEdit } from 'vscode-languageserver-types';
import { parse } from 'yaml';
import { parseConfigFile, type ConfigFile } from '../../src/core/configFile';
import { parseDotEnv } from '../../src/core/env';
import { validateFile } from '../../src/core/validation/validate';
import { codeActions } from '../../src/language/codeActions';
import { toLspDiagnostic } from '../../src/language/diagnostics';
import { DOC_URI, DOT_ENV_URI, workspaceWith } from '../support/languageContext';

const GOLDEN = join(__dirname, '../golden/quickfix');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** Applies LSP text edits to a text (they never overlap; applied from the end). */
function applyEdits(text: string, edits: TextEdit[]): string {
  const file = parseConfigFile('file:///edit', text);
  const located = edits.map((edit) => ({ start: file.offset(edit.range.start), end: file.offset(edit.range.end), text: edit.newText }));
  return located.sort((a, b) => b.start - a.start).reduce((out, edit) => out.slice(0, edit.start) + edit.text + out.slice(edit.end), text);
}

/** The edits of an action for one URI, and whether it creates that file. */
function editsFor(action: CodeAction, uri: string): { edits: TextEdit[]; creates: boolean } {
  const edits = [...(action.edit?.changes?.[uri] ?? [])];
  let creates = false;
  for (const change of action.edit?.documentChanges ?? []) {
    if ('kind' in change) creates ||= change.kind === 'create' && change.uri === uri;
    else if (change.textDocument.uri === uri) edits.push(...(change.edits as TextEdit[]));
  }
  return { edits, creates };
}

function actionsFor(file: ConfigFile, ctx: ReturnType<typeof workspaceWith>['ctx']): CodeAction[] {
  const diagnostics = validateFile(file, { index: ctx.index, env: ctx.env }).map(toLspDiagnostic);
  return codeActions(file, { start: { line: 0, character: 0 }, end: file.position(file.text.length) }, diagnostics, ctx);
}

/** `# quickfix: <code> <title prefix>` on the first line says which fix a golden case applies. */
function compareOrUpdate(path: string, actual: string | undefined): void {
  if (UPDATE) {
    if (actual !== undefined) writeFileSync(path, actual);
    return;
  }
  assert.equal(actual, existsSync(path) ? readFileSync(path, 'utf8') : undefined, path);
}

describe('quick fixes (golden files)', () => {
  const cases = readdirSync(GOLDEN).filter((name) => name.endsWith('.input.yaml')).map((name) => name.replace('.input.yaml', ''));
  assert.ok(cases.length >= 10);
  for (const name of cases) {
    it(name, () => {
      const input = readFileSync(join(GOLDEN, `${name}.input.yaml`), 'utf8');
      const header = /^# quickfix: (\S+) (.+)$/m.exec(input);
      assert.ok(header, `${name}: first line must be "# quickfix: <code> <title prefix>"`);
      const envPath = join(GOLDEN, `${name}.input.env`);
      const envText = existsSync(envPath) ? readFileSync(envPath, 'utf8') : undefined;
      const others: Record<string, string> = name.startsWith('cross-') ? { 'file:///ws/other.yaml': 'integration:\n  type: webhook\n  name: notify\n  endpoints:\n    - name: slack\n      url: https://hooks.example.com/x\n      secret: ${S}\n' } : {};
      const { file, ctx } = workspaceWith(input, { files: others, texts: envText === undefined ? {} : { [DOT_ENV_URI]: envText }, env: { [DOT_ENV_URI]: { S: 'x' } } });
      const actions = actionsFor(file, ctx);
      const action = actions.find((candidate) => candidate.diagnostics?.[0].code === header[1] && candidate.title.startsWith(header[2]));
      assert.ok(action, `${name}: no "${header[2]}" fix for ${header[1]}; offered: ${actions.map((entry) => `${entry.diagnostics?.[0].code}: ${entry.title}`).join(' | ')}`);
      compareOrUpdate(join(GOLDEN, `${name}.expected.yaml`), applyEdits(input, editsFor(action, DOC_URI).edits));
      const env = editsFor(action, DOT_ENV_URI);
      const envAfter = env.edits.length || env.creates ? applyEdits(envText ?? '', env.edits) : undefined;
      compareOrUpdate(join(GOLDEN, `${name}.expected.env`), envAfter);
      if (env.creates) assert.equal(envText, undefined, 'a .env is only created when there is none');
    });
  }
});

describe('quick fixes', () => {
  it('marks the closest suggestion preferred and never puts a secret in a title', () => {
    const { file, ctx } = workspaceWith('integration:\n  type: request_response\n  nmae: users\n  endpoints: {a: /a}\n  auth:\n    type: bearer\n    token: hunter2-secret\n');
    const actions = actionsFor(file, ctx);
    const rename = actions.find((action) => action.title === 'Change to "name"');
    assert.equal(rename?.isPreferred, true);
    assert.equal(rename?.kind, 'quickfix');
    assert.ok(actions.every((action) => !action.title.includes('hunter2')));
    assert.ok(actions.some((action) => action.title === 'Move the secret to .env as ${USERS_AUTH_TOKEN}' || action.title.startsWith('Move the secret to .env as ${')));
  });

  it('offers to disable every simone diagnostic and ignores other sources', () => {
    const { file, ctx } = workspaceWith('integration:\n  type: webhook\n  name: w\n  endpoints:\n    - name: e\n');
    const range = { start: { line: 4, character: 12 }, end: { line: 4, character: 13 } };
    const own = codeActions(file, range, [{ range, message: 'm', code: 'webhook-unsigned', source: 'simone' }], ctx);
    assert.deepEqual(own.map((action) => action.title), ['Disable webhook-unsigned on this line']);
    assert.deepEqual(codeActions(file, range, [{ range, message: 'm', code: 'webhook-unsigned', source: 'yaml' }], ctx), []);
  });

  it('a secret with backslashes, quotes, #, $ and a line break reaches .env as the same string, once', () => {
    const secret = 'p\\a"ss #1 $HOME \\n\nline2\\';
    const yaml = `integration:\n  type: request_response\n  name: users\n  endpoints: {a: /a}\n  auth:\n    type: bearer\n    token: ${JSON.stringify(secret)}\n`;
    assert.equal((parse(yaml) as { integration: { auth: { token: string } } }).integration.auth.token, secret, 'the YAML holds the secret');
    const moveIn = (envText: string | undefined) => {
      const { file, ctx } = workspaceWith(yaml, { texts: envText === undefined ? {} : { [DOT_ENV_URI]: envText } });
      const action = actionsFor(file, ctx).find((candidate) => candidate.title.startsWith('Move the secret'));
      assert.ok(action, 'the move-to-.env fix is offered');
      return { action, envAfter: applyEdits(envText ?? '', editsFor(action, DOT_ENV_URI).edits) };
    };
    const created = moveIn(undefined);
    assert.equal(created.envAfter.split('\n').length, 2, 'one line, ending with a newline');
    assert.deepEqual([...parseDotEnv(created.envAfter)], [['USERS_AUTH_TOKEN', secret]]);
    // Run again over that .env: the same value under the same name is reused, not written twice.
    const again = moveIn(created.envAfter);
    assert.equal(again.envAfter, created.envAfter);
    assert.equal(again.action.title, 'Move the secret to .env as ${USERS_AUTH_TOKEN}');
  });

  it('does not move a secret when there is no .env to move it to', () => {
    const { file, ctx } = workspaceWith('integration:\n  type: request_response\n  name: u\n  endpoints: {a: /a}\n  auth:\n    type: bearer\n    token: literal\n');
    const diagnostics = validateFile(file, { index: ctx.index, env: ctx.env }).map(toLspDiagnostic);
    const noEnv = { ...ctx, dotEnvUri: () => undefined };
    assert.ok(!codeActions(file, diagnostics[0].range, diagnostics, noEnv).some((action) => action.title.startsWith('Move')));
  });
});
