import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CompletionList, Diagnostic, Hover, Location } from 'vscode-languageserver/node';
import { TempWorkspace } from '../support/tempWorkspace';
import { startTestServer, type TestServer } from '../support/testConnection';
import { TEST_VALIDATOR } from '../support/testValidator';

/**
 * The server keeps answering while a check is slow (validation runs in a worker
 * thread; see docs/language-server.md). Slow checks come from the test validator:
 * `# SLOW <ms>` blocks its check that long, as one synchronous rule would. The
 * time bounds are generous: they catch a server that waits behind a check, not a
 * slow machine.
 */

const INTEGRATIONS = '.simone/integrations';

const queues = (name: string, queue: string) => `integration:
  type: message_queue
  name: ${name}
  connection_url: amqp://127.0.0.1:5672
  queues:
    - name: ${queue}
`;

const EVENTS = `integration:
  type: event_driven
  name: shop_events
  publishers:
    - name: order_publisher
      events: [order_placed]
      destination: orders_v2
  subscribers:
    - name: order_log
      events: [order_placed]
      handler: log
`;

const slow = (text: string, ms: number) => `# SLOW ${ms}\n${text}`;
const codes = (diagnostics: Diagnostic[]) => diagnostics.map((entry) => entry.code);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work;
  return { value, ms: performance.now() - started };
}

describe('a responsive language server', () => {
  describe('while one document is slow to check', () => {
    let workspace: TempWorkspace;
    let server: TestServer;
    before(async () => {
      workspace = new TempWorkspace();
      server = await startTestServer({ folders: [workspace.root], validator: TEST_VALIDATOR });
    });
    after(async () => {
      await server.shutdown();
      workspace.dispose();
    });

    it('answers hovers and completions on another document at once, and checks it first', async () => {
      const slowUri = workspace.uri(`${INTEGRATIONS}/slow.yaml`);
      const otherUri = workspace.uri(`${INTEGRATIONS}/other.yaml`);
      await server.open(slowUri, slow(queues('slow_broker', 'slow_orders'), 6_000));
      await sleep(200);
      const openedAt = performance.now();
      await server.open(otherUri, queues('other_broker', 'other_orders').replace('  queues:', '  prefetchh: 1\n  queues:'));

      const hover = await timed(server.request<Hover | null>('textDocument/hover', { textDocument: { uri: otherUri }, position: { line: 1, character: 4 } }));
      const completion = await timed(server.request<CompletionList>('textDocument/completion', { textDocument: { uri: otherUri }, position: { line: 1, character: 8 } }));
      assert.match(JSON.stringify(hover.value?.contents), /message_queue|type/i);
      assert.ok(completion.value.items.length > 0);
      assert.ok(hover.ms < 1_000 && completion.ms < 1_000, `hover ${hover.ms} ms, completion ${completion.ms} ms`);
      assert.equal(server.latestDiagnostics(slowUri), undefined, 'the slow check was still running when they were answered');

      const other = await server.waitForDiagnostics(otherUri);
      const otherMs = performance.now() - openedAt;
      assert.deepEqual(codes(other), ['schema-unknown-property']);
      assert.ok(otherMs < 5_000, `the other document waited ${Math.round(otherMs)} ms behind a 6 s check`);
      assert.equal(server.latestDiagnostics(slowUri), undefined, 'the other document was checked first');

      // The slow document was put back in line, and is checked in the end.
      assert.deepEqual(codes(await server.waitForDiagnostics(slowUri, undefined, 30_000)), []);
    });

    it('cancels a stale check when a newer version arrives: diagnostics only for the newest', async () => {
      const uri = workspace.uri(`${INTEGRATIONS}/typing.yaml`);
      const text = queues('typing_broker', 'typing_orders');
      const before = server.published.length;
      await server.open(uri, slow(text.replace('  queues:', '  prefetchh: 1\n  queues:'), 20_000));
      await sleep(200);
      const changedAt = performance.now();
      const version = await server.change(uri, text.replace('  queues:', '  durabel: true\n  queues:'));
      const diagnostics = await server.waitForDiagnostics(uri, (_diagnostics, params) => params.version === version, 15_000);
      const waited = performance.now() - changedAt;
      assert.deepEqual(codes(diagnostics), ['schema-unknown-property']);
      assert.match(diagnostics[0].message, /durabel/);
      assert.ok(waited < 15_000, `the newer version waited ${Math.round(waited)} ms`);
      const versions = server.published.slice(before).filter((params) => params.uri === uri).map((params) => params.version);
      assert.deepEqual(versions, [version], 'the stale version was never published');
    });

    it('updates the index on an edit, before any check or request on that file', async () => {
      const brokerUri = workspace.uri(`${INTEGRATIONS}/broker.yaml`);
      const eventsUri = workspace.uri(`${INTEGRATIONS}/events.yaml`);
      await server.open(brokerUri, queues('broker', 'orders'));
      await server.open(eventsUri, EVENTS);
      await server.waitForDiagnostics(brokerUri);
      const before = server.published.length;
      const version = await server.change(brokerUri, slow(queues('broker', 'orders_v2'), 3_000));
      // The destination `orders_v2` in the events file; broker.yaml's new version is still being checked.
      const definition = await server.request<Location[]>('textDocument/definition', { textDocument: { uri: eventsUri }, position: { line: 6, character: 21 } });
      assert.deepEqual(
        definition.map((location) => [location.uri, location.range.start.line]),
        [[brokerUri, 6]],
      );
      assert.ok(!server.published.slice(before).some((params) => params.uri === brokerUri && params.version === version), 'broker.yaml was not checked yet');
    });
  });

  describe('a check past the time limit', () => {
    let workspace: TempWorkspace;
    let server: TestServer;
    before(async () => {
      workspace = new TempWorkspace();
      server = await startTestServer({ folders: [workspace.root], validator: TEST_VALIDATOR, checkTimeLimitMs: 500 });
    });
    after(async () => {
      await server.shutdown();
      workspace.dispose();
    });

    it('is stopped and reported on the file, and checking goes on', async () => {
      const uri = workspace.uri(`${INTEGRATIONS}/endless.yaml`);
      await server.open(uri, slow(queues('endless', 'endless_orders'), 60_000));
      const [stopped] = await server.waitForDiagnostics(uri, undefined, 10_000);
      assert.equal(stopped.code, 'check-time-limit');
      assert.match(stopped.message, /stopped checking this file after 0\.5 s/);
      assert.ok(server.logs.some((line) => line.includes('took longer than 500 ms')), server.logs.join('\n'));

      const other = workspace.uri(`${INTEGRATIONS}/other.yaml`);
      await server.open(other, queues('other', 'other_orders'));
      assert.deepEqual(codes(await server.waitForDiagnostics(other)), []);
      await server.change(uri, queues('endless', 'endless_orders'));
      assert.deepEqual(codes(await server.waitForDiagnostics(uri)), []);
    });
  });

  describe('while a large workspace is being indexed', () => {
    const FILES = 3_000;
    let workspace: TempWorkspace;
    let server: TestServer;
    before(() => {
      workspace = new TempWorkspace(Object.fromEntries(Array.from({ length: FILES }, (_, i) => [`${INTEGRATIONS}/broker_${i}.yaml`, queues(`broker_${i}`, `orders_${i}`)])));
    });
    after(async () => {
      await server?.shutdown();
      workspace.dispose();
    });

    it('answers a hover on an open document at once, and checks every file once the index is read', async () => {
      server = await startTestServer({ folders: [workspace.root] });
      const uri = workspace.uri(`${INTEGRATIONS}/open.yaml`);
      await server.open(uri, queues('open_broker', 'open_orders'));
      const hover = await timed(server.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 4 } }));
      assert.match(JSON.stringify(hover.value?.contents), /message_queue|type/i);
      assert.ok(hover.ms < 1_000, `hover took ${Math.round(hover.ms)} ms`);
      // Diagnostics wait for the whole index: none yet means the hover came while it was read.
      assert.equal(server.published.length, 0, 'the workspace was still being indexed');
      assert.deepEqual(codes(await server.waitForDiagnostics(uri, undefined, 60_000)), []);
      await server.waitForDiagnostics(workspace.uri(`${INTEGRATIONS}/broker_${FILES - 1}.yaml`), undefined, 60_000);
    });
  });
});
