import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DELIVERY_STYLES, EVENTS_SHOWN, EventsTreeModel, type DeliveryView, type EventEntryView } from '../../src/extension/events/eventsTreeModel';

const FOLDER = '/work/project';
const utc = (iso: string) => iso.slice(11, 19);

function entry(id: string, type: string, aggregate: string, deliveries: DeliveryView[], file?: string): EventEntryView {
  return { event: { id, type, aggregate, version: 1, time: `2026-12-07T23:0${id.length % 10}:00.000Z`, file }, deliveries };
}

const delivered = (destination: string, attempts = 1): DeliveryView => ({ destination, state: 'delivered', attempts, time: '2026-12-07T23:05:00.000Z' });
const pending = (destination: string): DeliveryView => ({ destination, state: 'pending', attempts: 0 });
const failed = (destination: string, message: string, attempts = 3): DeliveryView => ({ destination, state: 'failed', attempts, error: { message } });

const CI = 'webhook:team_notifications/ci_server';
const TRACKER = 'event_driven:project_events/tracker_publisher';

function model(entries: EventEntryView[]): EventsTreeModel {
  const events = new EventsTreeModel(utc);
  events.setFolders([FOLDER]);
  events.setEvents(FOLDER, entries);
  return events;
}

describe('the Events view model', () => {
  it('lists the events newest first, each with its aggregate, time and how its deliveries stand, and a delivery per destination below it', () => {
    const events = model([
      entry('e2', 'task_completed', 'T02_S02', [delivered(CI), failed(TRACKER, 'HTTP 503 from 127.0.0.1:4010')], '.simone/03_SPRINTS/S02/T02_S02_Validate.md'),
      entry('e1', 'sprint_started', 'S03', [pending('event_driven:project_events/project_publisher')]),
      entry('e0', 'custom_thing', 'T1', []),
    ]);
    const roots = events.roots();
    assert.deepEqual(roots.map((row) => row.label), ['task_completed', 'sprint_started', 'custom_thing']);
    assert.equal(roots[0].description, 'T02_S02 · 23:02:00 · 1 failed');
    assert.equal(roots[0].icon.color, DELIVERY_STYLES.failed.color, 'an event shows its worst delivery');
    assert.equal(roots[1].description, 'S03 · 23:02:00 · 1 pending');
    assert.equal(roots[1].icon.color, DELIVERY_STYLES.pending.color);
    assert.equal(roots[2].description, 'T1 · 23:02:00 · no destination');
    assert.equal(roots[2].icon.color, undefined);
    assert.equal(roots[0].contextValue, 'event.file', 'its source file can be opened');
    assert.equal(roots[1].contextValue, 'event');

    const [ci, tracker] = events.children(roots[0].id);
    assert.equal(ci.label, 'team_notifications/ci_server');
    assert.equal(ci.description, 'webhook · delivered after 1 attempt');
    assert.deepEqual(ci.icon, { id: 'pass', color: 'testing.iconPassed' });
    assert.equal(ci.contextValue, 'delivery.delivered.file');
    assert.deepEqual(ci.target, { folder: FOLDER, eventId: 'e2', destination: CI, file: '.simone/03_SPRINTS/S02/T02_S02_Validate.md' });
    assert.equal(tracker.description, 'event_driven · failed after 3 attempts: HTTP 503 from 127.0.0.1:4010');
    assert.deepEqual(tracker.icon, { id: 'error', color: 'problemsErrorIcon.foreground' });
    assert.match(tracker.tooltip(), /HTTP 503 from 127\\\.0\\\.0\\\.1:4010/);
    const [waiting] = events.children(roots[1].id);
    assert.equal(waiting.description, 'event_driven · pending');
    assert.equal(waiting.icon.id, 'clock');
    assert.match(roots[0].tooltip(), /team\\_notifications\/ci\\_server: delivered/);
  });

  it('repaints only the event whose delivery changed, and the whole list when an event comes', () => {
    const first = entry('e1', 'task_completed', 'T01', [pending(CI), pending(TRACKER)]);
    const other = entry('e0', 'task_created', 'T02', [delivered(CI)]);
    const events = model([first, other]);
    const eventId = events.roots()[0].id;

    const changed = events.setEvents(FOLDER, [{ ...first, deliveries: [delivered(CI), pending(TRACKER)] }, other]);
    assert.deepEqual(changed, [eventId], 'the event row (its summary stays "1 pending", its child changed): one repaint');
    assert.equal(events.children(eventId)[0].description, 'webhook · delivered after 1 attempt');

    assert.deepEqual(events.setEvents(FOLDER, [{ ...first, deliveries: [delivered(CI), pending(TRACKER)] }, other]), [], 'nothing changed: nothing repainted');
    assert.deepEqual(events.setEvents(FOLDER, [entry('e2', 'task_created', 'T03', []), { ...first, deliveries: [delivered(CI), pending(TRACKER)] }, other]), [''], 'a new event changes the list');
  });

  it('groups the events by folder when the workspace has several, and repaints only the folder an event came to', () => {
    const events = new EventsTreeModel(utc);
    assert.deepEqual(events.setFolders(['/w/a', '/w/b']), ['']);
    assert.deepEqual(events.roots().map((row) => [row.label, row.description]), [['a', 'no events'], ['b', 'no events']]);
    assert.deepEqual(events.setEvents('/w/b', [entry('e1', 'task_completed', 'T01', [failed(CI, 'HTTP 401')])]), ['folder:/w/b']);
    const b = events.roots()[1];
    assert.equal(b.description, '1 event, 1 failed');
    assert.equal(events.children(b.id)[0].parentId, b.id);
    assert.equal(events.children(b.id)[0].target?.folder, '/w/b');
    assert.deepEqual(events.setFolders(['/w/b']), [''], 'one folder left: its events are the top level');
    assert.deepEqual(events.roots().map((row) => row.label), ['task_completed']);
  });

  it('keeps the newest events only, and shows names from files as text, never as Markdown', () => {
    const many = Array.from({ length: EVENTS_SHOWN + 20 }, (_, index) => entry(`e${index}`, 'task_created', `T${index}`, []));
    const events = model(many);
    assert.equal(events.roots().length, EVENTS_SHOWN);
    assert.equal(events.roots()[0].label, 'task_created');

    const hostile = model([entry('x`y', 'task_[done](http://evil)', '**T1**', [failed(CI, '<img src=x> [link](http://evil)')], 'a`b.md')]);
    const row = hostile.roots()[0];
    assert.doesNotMatch(row.tooltip(), /\[done\]\(http/);
    assert.match(row.tooltip(), /\\\*\\\*T1\\\*\\\*/);
    assert.doesNotMatch(row.tooltip(), /`x`y`|a`b/);
    assert.doesNotMatch(hostile.children(row.id)[0].tooltip(), /(?<!\\)<img|(?<!\\)\]\(http/, 'every Markdown character escaped');
  });
});
