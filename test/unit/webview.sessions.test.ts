import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PageSession, type PageRequest } from '../../src/extension/webviews/pageSession';
import type { HostMessage } from '../../src/extension/webviews/protocol';
import { MAX_KEPT_EVENTS, ResultSession } from '../../src/extension/webviews/resultSession';
import type { AnyResultView } from '../../src/extension/webviews/resultView';

function recorder() {
  const posted: HostMessage[] = [];
  const requests: PageRequest[] = [];
  const refused: string[] = [];
  return { posted, requests, refused, post: (message: HostMessage) => posted.push(message), handle: (request: PageRequest) => requests.push(request), refuse: (reason: string) => refused.push(reason) };
}

const first: AnyResultView = { kind: 'endpoint', title: 'tracker.list', data: { ok: true, status: 200, attempts: [{ status: 200, durationMs: 3, delayMs: 0 }] } };
const second: AnyResultView = { kind: 'endpoint', title: 'tracker.list', data: { ok: false, status: 503, attempts: [{ status: 503, durationMs: 3, delayMs: 0 }] } };

describe('result panel session (host side)', () => {
  it('posts nothing before the page is ready, then the result and the events so far', () => {
    const page = recorder();
    const session = new ResultSession(first, page.post, page.handle, page.refuse);
    session.event({ type: 'attempt-started', attempt: 1, method: 'GET', url: 'u' });
    assert.equal(page.posted.length, 0);
    session.receive({ type: 'ready' });
    assert.deepEqual(page.posted.map((message) => message.type), ['show', 'event']);
    assert.equal(page.posted[0].type === 'show' && page.posted[0].model.headline.text, '200');
  });

  it('a new result replaces the old one and its events; a reloaded page gets only the new state', () => {
    const page = recorder();
    const session = new ResultSession(first, page.post, page.handle, page.refuse);
    session.receive({ type: 'ready' });
    session.event({ type: 'backoff', attempt: 2, delayMs: 5 });
    session.show(second);
    assert.deepEqual(page.posted.map((message) => message.type), ['show', 'event', 'show']);
    session.reset();
    session.event({ type: 'backoff', attempt: 3, delayMs: 5 });
    assert.equal(page.posted.length, 3, 'nothing is posted to a page that is gone');
    session.receive({ type: 'ready' });
    assert.deepEqual(page.posted.slice(3).map((message) => message.type), ['show', 'event']);
    assert.equal(page.posted[3].type === 'show' && page.posted[3].model.headline.text, '503');
  });

  it('a run that starts says so (no buttons, no result to act on), draws its events, and a reloaded page gets both', () => {
    const page = recorder();
    const session = new ResultSession(first, page.post, page.handle, page.refuse);
    session.receive({ type: 'ready' });
    session.event({ type: 'backoff', attempt: 2, delayMs: 5 });
    session.begin({ title: 'tracker.list', doing: 'Testing tracker.list' });
    assert.equal(session.current, undefined);
    session.event({ type: 'attempt-started', attempt: 1, method: 'GET', url: 'u' });
    const running = page.posted[2];
    assert.ok(running.type === 'show' && running.model.headline.text === 'Testing tracker.list…' && running.model.actions.length === 0, JSON.stringify(running));
    session.reset();
    session.receive({ type: 'ready' });
    assert.deepEqual(page.posted.slice(4).map((message) => message.type), ['show', 'event'], 'the old run\'s event is gone');
    session.show(second);
    assert.equal(session.current, second);
  });

  it('keeps a bounded number of events for a reload, and ignores events that are not objects', () => {
    const page = recorder();
    const session = new ResultSession(first, page.post, page.handle, page.refuse);
    for (let index = 0; index < MAX_KEPT_EVENTS + 50; index++) session.event({ type: 'backoff', attempt: index, delayMs: 1 });
    session.event('not an event');
    session.receive({ type: 'ready' });
    assert.equal(page.posted.length, 1 + MAX_KEPT_EVENTS);
  });

  it('passes checked requests on and refuses bad messages with the reason, acting on none', () => {
    const page = recorder();
    const session = new ResultSession(first, page.post, page.handle, page.refuse);
    session.receive({ type: 'rerun' });
    session.receive({ type: 'copy', text: 'abc' });
    session.receive({ type: 'apply', sneaky: true });
    session.receive({ type: 'eval', code: 'process.exit()' });
    session.receive(null);
    assert.deepEqual(page.requests, [{ type: 'rerun' }, { type: 'copy', text: 'abc' }, { type: 'apply' }]);
    assert.deepEqual(page.refused, ['unknown webview message type "eval"', 'a webview message must be an object']);
    assert.equal(page.posted.length, 0);
  });
});

describe('page session (dashboard)', () => {
  it('sends updates only while the page is there, and redraws on every ready', () => {
    const page = recorder();
    let summary = 'first';
    const health = (): HostMessage => ({ type: 'health', model: { summary, rows: [], canOpenDefinition: false } });
    const session = new PageSession(page.post, () => [health()], page.handle, page.refuse);
    session.send(health());
    session.receive({ type: 'ready' });
    summary = 'second';
    session.send(health());
    session.receive({ type: 'openDefinition', key: 'webhook:hooks' });
    assert.deepEqual(page.posted.map((message) => message.type === 'health' && message.model.summary), ['first', 'second']);
    assert.deepEqual(page.requests, [{ type: 'openDefinition', key: 'webhook:hooks' }]);
  });
});
