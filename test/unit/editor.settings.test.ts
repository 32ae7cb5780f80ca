import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readEditorSettings } from '../../src/extension/editorSettings';

/** The settings as a hand-edited settings.json may hold them. */
const read = (values: Record<string, unknown>) => readEditorSettings(<T>(key: string, fallback: T) => (key in values ? (values[key] as T) : fallback));

describe('the editor settings', () => {
  it('reads simone.events.dispatch and simone.sync.schedule, with their defaults (ask, off)', () => {
    assert.deepEqual([read({}).eventsDispatch, read({}).syncSchedule], ['ask', false]);
    assert.equal(read({ 'events.dispatch': 'on' }).eventsDispatch, 'on');
    assert.equal(read({ 'events.dispatch': 'off' }).eventsDispatch, 'off');
    assert.equal(read({ 'sync.schedule': true }).syncSchedule, true);
  });

  it('falls back to the default for values the setting does not allow, never to sending', () => {
    for (const value of ['ON', 'always', 1, true, null, ['on']]) assert.equal(read({ 'events.dispatch': value }).eventsDispatch, 'ask', JSON.stringify(value));
    for (const value of ['true', 1, 'yes']) assert.equal(read({ 'sync.schedule': value }).syncSchedule, false, JSON.stringify(value));
  });
});
