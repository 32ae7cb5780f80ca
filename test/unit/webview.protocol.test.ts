import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkHostMessage, checkPageMessage } from '../../src/extension/webviews/protocol';
import { MAX_CODE_CHARS } from '../../src/extension/webviews/resultModel';

describe('webview messages from a page (untrusted)', () => {
  it('accepts each known message, keeping only its own fields', () => {
    assert.deepEqual(checkPageMessage({ type: 'ready' }), { ok: true, message: { type: 'ready' } });
    assert.deepEqual(checkPageMessage({ type: 'rerun', extra: 'dropped' }), { ok: true, message: { type: 'rerun' } });
    assert.deepEqual(checkPageMessage({ type: 'apply' }), { ok: true, message: { type: 'apply' } });
    assert.deepEqual(checkPageMessage({ type: 'openDefinition', key: 'request_response:tracker' }), { ok: true, message: { type: 'openDefinition', key: 'request_response:tracker' } });
    assert.deepEqual(checkPageMessage({ type: 'copy', text: '{"a":1}' }), { ok: true, message: { type: 'copy', text: '{"a":1}' } });
  });

  it('refuses what is not a message, with the reason', () => {
    for (const raw of [undefined, null, 42, 'ready', ['ready'], {}]) {
      const checked = checkPageMessage(raw);
      assert.equal(checked.ok, false, JSON.stringify(raw));
    }
    const unknown = checkPageMessage({ type: 'runShell', command: 'rm -rf /' });
    assert.deepEqual(unknown, { ok: false, error: 'unknown webview message type "runShell"' });
  });

  it('refuses fields of the wrong type or size', () => {
    assert.match((checkPageMessage({ type: 'openDefinition' }) as { error: string }).error, /needs a key/);
    assert.match((checkPageMessage({ type: 'openDefinition', key: 7 }) as { error: string }).error, /needs a key/);
    assert.match((checkPageMessage({ type: 'openDefinition', key: 'k'.repeat(1025) }) as { error: string }).error, /at most 1024/);
    assert.match((checkPageMessage({ type: 'copy', text: '' }) as { error: string }).error, /needs a text/);
    assert.match((checkPageMessage({ type: 'copy', text: 'x'.repeat(MAX_CODE_CHARS + 1) }) as { error: string }).error, /at most/);
    assert.equal(checkPageMessage({ type: 'copy', text: 'x'.repeat(MAX_CODE_CHARS) }).ok, true);
  });

  it('bounds the type it quotes back in an error', () => {
    const checked = checkPageMessage({ type: 'y'.repeat(10_000) }) as { ok: false; error: string };
    assert.ok(checked.error.length < 100, checked.error);
  });
});

describe('webview messages from the host (checked by the page)', () => {
  it('accepts the three kinds with their models and refuses malformed ones', () => {
    const model = { title: 't', headline: { text: '200' }, facts: [], sections: [], actions: [] };
    assert.equal(checkHostMessage({ type: 'show', model }).ok, true);
    assert.equal(checkHostMessage({ type: 'event', event: { type: 'backoff', attempt: 2, delayMs: 10 } }).ok, true);
    assert.equal(checkHostMessage({ type: 'health', model: { summary: '1 healthy', rows: [], canOpenDefinition: false } }).ok, true);
    assert.equal(checkHostMessage({ type: 'show', model: { title: 't' } }).ok, false);
    assert.equal(checkHostMessage({ type: 'event' }).ok, false);
    assert.equal(checkHostMessage({ type: 'health', model: { rows: 'no' } }).ok, false);
    assert.equal(checkHostMessage({ type: 'other' }).ok, false);
    assert.equal(checkHostMessage('show').ok, false);
  });
});
