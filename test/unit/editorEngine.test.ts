import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EditorEngine, EditorEngineError } from '../../src/extension/engine/editorEngine';
import { FlakyServer } from '../support/flakyServer';
import { TempWorkspace } from '../support/tempWorkspace';

const SETTINGS = { healthIntervalMs: 60_000, healthTimeoutMs: 1_000, healthConcurrency: 4 };
const api = (name: string, url: string, extra: string) =>
  `integration:\n  type: request_response\n  name: ${name}\n  base_url: ${url}\n  endpoints:\n    ping: /ping\n${extra}`;

describe('EditorEngine: what a file asks for wins over the editor defaults', () => {
  let server: FlakyServer;
  let workspace: TempWorkspace;
  let engine: EditorEngine;
  before(async () => {
    server = await FlakyServer.start();
    // Slower than the editor's 1 s bound, well within the file's own 5 s health timeout.
    server.respond({ status: 200, body: { ok: true }, delayMs: 1_500 });
    workspace = new TempWorkspace({
      '.simone/integrations/slow.yaml': api('slow_api', server.url, '  health_check:\n    path: /health\n    timeout: 5s\n'),
      '.simone/integrations/off.yaml': api('off_api', server.url, '  enabled: false\n'),
    });
    engine = new EditorEngine({ folders: [workspace.root], trusted: true, settings: SETTINGS, processEnv: {} });
  });
  after(async () => {
    await engine.dispose();
    await server.close();
    workspace.dispose();
  });

  it("a health_check's own longer timeout is not cut short by simone.health.timeout", async () => {
    const target = engine.healthTargets().find((candidate) => candidate.key === 'request_response:slow_api');
    assert.ok(target);
    const result = await target.probe(new AbortController().signal);
    assert.equal(result.state, 'healthy', result.detail);
  });

  it('refuses to run a disabled integration by hand, saying where to turn it on', () => {
    assert.throws(() => engine.runEndpoint('off_api', 'ping'), (error: unknown) => error instanceof EditorEngineError && /"off_api" is disabled \(enabled: false in .*off\.yaml\)/.test(error.message));
    assert.equal(server.requests.filter((request) => request.url === '/ping').length, 0);
  });
});
