/**
 * The glue the run commands use (src/extension/commands/liveRun.ts): a real run against a flaky server on
 * 127.0.0.1 sends each of its events to the result panel's session while the run goes on, says them in the
 * progress message, and then shows the result in the same panel.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { progressMessage, runLive, type LiveRunPanel } from '../../src/extension/commands/liveRun';
import type { HostMessage } from '../../src/extension/webviews/protocol';
import { ResultSession } from '../../src/extension/webviews/resultSession';
import { endpointResultJson } from '../../src/runners/http/endpointResultJson';
import { runEndpoint } from '../../src/runners/http/runEndpoint';
import type { RunEvent } from '../../src/runners/runEvents';
import { FlakyServer, sequence } from '../support/flakyServer';
import { httpIntegration } from '../support/httpIntegration';

/** A result panel's host session as showRun opens it, posting to a page that is ready; each post notes whether the run had ended. */
function panelSession(title: string, doing: string, ended: () => boolean) {
  const posted: Array<{ message: HostMessage; afterRun: boolean }> = [];
  const session = new ResultSession({ title, doing }, (message) => posted.push({ message, afterRun: ended() }), () => undefined, (reason) => assert.fail(reason));
  session.receive({ type: 'ready' });
  const panel: LiveRunPanel = { appendEvent: (event) => session.event(event), update: (view) => session.show(view) };
  return { posted, panel };
}

function progress() {
  const messages: string[] = [];
  return { messages, signal: new AbortController().signal, report: (message: string) => messages.push(message) };
}

describe('a run shown live in its result panel', () => {
  let api: FlakyServer;
  before(async () => (api = await FlakyServer.start()));
  after(() => api.close());

  it("posts a flaky endpoint's attempts and backoffs while it runs, says them in the progress, then shows the result", async () => {
    api.respond(sequence({ status: 503, body: { error: 'warming up' } }, { status: 200, body: { tasks: [] } }));
    const integration = httpIntegration(api.url, { name: 'tracker', endpoints: [{ name: 'list', url: '/tasks' }] });
    let ended = false;
    const { posted, panel } = panelSession('tracker.list', 'Testing tracker.list', () => ended);
    const run = progress();

    const result = await runLive(run, panel, (options) => runEndpoint(integration, 'list', options).finally(() => (ended = true)), (done) => ({ kind: 'endpoint', title: 'tracker.list', data: endpointResultJson(done) }));

    assert.equal(result.status, 200);
    const [first, ...rest] = posted;
    assert.equal(first.message.type === 'show' && first.message.model.headline.text, 'Testing tracker.list…', 'the panel says the run goes on');
    const events = rest.filter((entry) => entry.message.type === 'event');
    assert.deepEqual(
      events.map((entry) => (entry.message.type === 'event' ? (entry.message.event as RunEvent).type : '')),
      ['attempt-started', 'attempt-ended', 'backoff', 'attempt-started', 'attempt-ended'],
    );
    assert.ok(events.every((entry) => !entry.afterRun), 'every event reached the panel before the run ended');
    const last = posted.at(-1)!;
    assert.ok(last.message.type === 'show' && last.message.model.headline.text === '200' && last.afterRun, 'the result replaces the live rows');
    assert.match(run.messages.join('\n'), /^attempt 1: .*503.*\nwaiting \d+ ms before attempt 2\nattempt 2\nattempt 2: 200$/);
  });

  it('a batch keeps its own progress message (say: false) and still sends every event to the panel', async () => {
    api.respond(sequence({ status: 200, body: {} }));
    const integration = httpIntegration(api.url, { name: 'tracker', endpoints: [{ name: 'a', url: '/a' }, { name: 'b', url: '/b' }] });
    const { posted, panel } = panelSession('tracker', 'Testing 2 endpoints of tracker', () => false);
    const run = progress();
    const results = await runLive(run, panel, (options) => Promise.all(['a', 'b'].map((name) => runEndpoint(integration, name, options))), (done) => ({ kind: 'endpoints', title: 'tracker', data: { integration: 'tracker', ok: true, results: done.map(endpointResultJson) } }), false);
    assert.deepEqual(results.map((result) => result.status), [200, 200]);
    assert.equal(posted.filter((entry) => entry.message.type === 'event').length, 4, 'two attempts started and ended');
    assert.deepEqual(run.messages, []);
    const last = posted.at(-1)!.message;
    assert.ok(last.type === 'show' && last.model.headline.text.includes('2'), JSON.stringify(last));
  });

  it('says a sync table\'s progress and a rejection in words, and keeps quiet about the first attempt and a finished table', () => {
    assert.equal(progressMessage({ type: 'table-progress', source: 'tasks', target: 'project_tasks', rowsRead: 5, rowsWritten: 3, total: 10 }), 'tasks → project_tasks: 5 of 10 rows read, 3 written');
    assert.equal(progressMessage({ type: 'rejected', policy: 'circuit-open', error: { kind: 'transient', severity: 'error', message: 'the circuit is open' } }), 'the circuit is open');
    assert.equal(progressMessage({ type: 'attempt-started', attempt: 1, method: 'GET', url: 'http://127.0.0.1/x' }), undefined);
    assert.equal(progressMessage({ type: 'table-finished', source: 'tasks', target: 'project_tasks', ok: true }), undefined);
  });
});
