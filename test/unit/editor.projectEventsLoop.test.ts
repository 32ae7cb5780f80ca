import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventsDispatch } from '../../src/extension/editorSettings';
import { ProjectEventsLoop, type DispatchAnswer, type FolderPipeline, type NewEvent } from '../../src/extension/events/projectEventsLoop';
import { FakeClock, settle } from '../support/fakeClock';

const FOLDER = '/w/project';
const DEBOUNCE = 750;

/** A pipeline that records what it was asked; each scan returns the next batch of events it was given. */
function recordingPipeline() {
  const calls: string[] = [];
  const batches: NewEvent[][] = [];
  let inFlight = 0;
  let overlapped = false;
  let release: (() => void) | undefined;
  const pipeline: FolderPipeline = {
    async scan() {
      calls.push('scan');
      inFlight++;
      overlapped ||= inFlight > 1;
      if (release === undefined && hold) await new Promise<void>((resolve) => (release = resolve));
      inFlight--;
      return { ok: true, events: batches.shift() ?? [] };
    },
    async dispatch({ eventIds, destinations }) {
      calls.push(`${eventIds ? `dispatch ${eventIds.join(',')}` : 'dispatch pending'}${destinations ? ` to ${destinations.join(',')}` : ''}`);
      if (holdDispatch) await new Promise<void>((resolve) => (releaseDispatch = resolve));
      return { ok: true, deliveries: [] };
    },
    async skip(eventIds) {
      calls.push(`skip ${eventIds.join(',')}`);
      return { ok: true };
    },
  };
  let hold = false;
  let holdDispatch = false;
  let releaseDispatch: (() => void) | undefined;
  return {
    holdDispatches: () => (holdDispatch = true),
    releaseDispatch: () => {
      holdDispatch = false;
      releaseDispatch?.();
    },
    pipeline,
    calls,
    batches,
    overlapped: () => overlapped,
    holdScans: () => (hold = true),
    releaseScan: () => {
      hold = false;
      release?.();
    },
  };
}

function loopWith(mode: EventsDispatch, answers: Array<DispatchAnswer | undefined> = []) {
  const clock = new FakeClock();
  const recorded = recordingPipeline();
  const questions: Array<readonly NewEvent[]> = [];
  /** The events of each question, as it stands now (events join an open one). */
  const asked = () => questions.map((events) => events.map((event) => event.id));
  const logs: string[] = [];
  let answer: ((value: DispatchAnswer | undefined) => void) | undefined;
  const settings = { mode, trusted: true, always: 0 };
  const loop = new ProjectEventsLoop(
    {
      pipeline: () => (settings.trusted ? recorded.pipeline : undefined),
      mode: () => settings.mode,
      ask: (_, events) => {
        questions.push(events);
        if (answers.length) return Promise.resolve(answers.shift());
        return new Promise((resolve) => (answer = resolve));
      },
      sendAlways: async () => {
        settings.always++;
        settings.mode = 'on';
      },
      log: (level, message) => logs.push(`${level} ${message}`),
    },
    { clock, debounceMs: DEBOUNCE },
  );
  return { clock, loop, ...recorded, asked, logs, settings, answer: (value: DispatchAnswer | undefined) => answer?.(value) };
}

const event = (id: string): NewEvent => ({ id, type: 'task_completed', aggregate: 'T01_S02' });

describe('the project events loop (scan, then dispatch as simone.events.dispatch says)', () => {
  it('turns a burst of file changes (a sprint folder renamed) into one scan once it is over', async () => {
    const { clock, loop, calls } = loopWith('off');
    for (let change = 0; change < 12; change++) {
      loop.changed(FOLDER);
      await clock.advance(50);
    }
    assert.deepEqual(calls, [], 'still changing: no scan yet');
    await clock.advance(DEBOUNCE);
    assert.deepEqual(calls, ['scan']);
    loop.changed(FOLDER);
    await clock.advance(DEBOUNCE);
    assert.deepEqual(calls, ['scan', 'scan'], 'a later change scans again');
    loop.dispose();
  });

  it('never runs two scans of a folder at once: a change during a scan scans again after it', async () => {
    const { clock, loop, calls, holdScans, releaseScan, overlapped } = loopWith('off');
    holdScans();
    loop.changed(FOLDER);
    await clock.advance(DEBOUNCE);
    loop.changed(FOLDER);
    await clock.advance(DEBOUNCE);
    assert.deepEqual(calls, ['scan'], 'the second waits');
    releaseScan();
    await settle();
    await settle();
    assert.deepEqual(calls, ['scan', 'scan']);
    assert.equal(overlapped(), false);
    loop.dispose();
  });

  it('on: sends every pending delivery after a scan that found events, and after opening a folder even when none are new', async () => {
    const { clock, loop, calls, batches } = loopWith('on');
    await loop.opened(FOLDER);
    assert.deepEqual(calls, ['scan', 'dispatch pending'], 'what an earlier window left pending goes now');
    batches.push([event('e1')]);
    loop.changed(FOLDER);
    await clock.advance(DEBOUNCE);
    assert.deepEqual(calls.slice(2), ['scan', 'dispatch pending']);
    loop.changed(FOLDER);
    await clock.advance(DEBOUNCE);
    assert.deepEqual(calls.slice(4), ['scan'], 'nothing new: nothing sent');
    loop.dispose();
  });

  it('on: a dispatch waiting on a slow destination holds back no scan; the next dispatch waits for it', async () => {
    const { clock, loop, calls, batches, holdDispatches, releaseDispatch } = loopWith('on');
    holdDispatches();
    batches.push([event('e1')], [event('e2')]);
    loop.changed(FOLDER);
    await clock.advance(DEBOUNCE);
    loop.changed(FOLDER);
    await clock.advance(DEBOUNCE);
    assert.deepEqual(calls, ['scan', 'dispatch pending', 'scan'], 'the second edit was scanned while the first dispatch went on');
    releaseDispatch();
    await settle();
    await settle();
    assert.deepEqual(calls, ['scan', 'dispatch pending', 'scan', 'dispatch pending']);
    loop.dispose();
  });

  it('off: records only; Dispatch Pending still sends', async () => {
    const { loop, calls, batches, logs } = loopWith('off');
    batches.push([event('e1')]);
    assert.deepEqual((await loop.scan(FOLDER)).map((found) => found.id), ['e1']);
    assert.deepEqual(calls, ['scan']);
    assert.ok(logs.some((line) => /dispatch is off: recorded, not sent/.test(line)), logs.join('\n'));
    await loop.dispatch(FOLDER);
    await loop.dispatch(FOLDER, { eventIds: ['e1'] });
    await loop.dispatch(FOLDER, { eventIds: ['e1'], destinations: ['webhook:team_notifications/ci_server'] });
    assert.deepEqual(calls, ['scan', 'dispatch pending', 'dispatch e1', 'dispatch e1 to webhook:team_notifications/ci_server']);
    loop.dispose();
  });

  it('ask: Send sends the events asked about (and those found while the question was open), Skip marks them skipped', async () => {
    const { loop, calls, batches, asked, answer } = loopWith('ask');
    batches.push([event('e1'), event('e2')], [event('e3')], [event('e4')]);
    await loop.scan(FOLDER);
    await loop.scan(FOLDER);
    assert.deepEqual(asked(), [['e1', 'e2', 'e3']], 'one question on screen at a time; the new event joined it');
    assert.deepEqual(calls, ['scan', 'scan']);
    answer('send');
    await settle();
    await settle();
    assert.deepEqual(calls, ['scan', 'scan', 'dispatch e1,e2,e3']);

    await loop.scan(FOLDER);
    assert.deepEqual(asked().at(-1), ['e4']);
    answer('skip');
    await settle();
    await settle();
    assert.deepEqual(calls.slice(3), ['scan', 'skip e4'], 'skipped: not sent');
    loop.dispose();
  });

  it('ask: Always turns the setting to on and sends everything pending; a closed question leaves its events pending', async () => {
    const { loop, calls, batches, settings } = loopWith('ask', [undefined, 'always']);
    batches.push([event('e1')], [event('e2')], [event('e3')]);
    await loop.scan(FOLDER);
    await settle();
    assert.deepEqual(calls, ['scan']);
    await loop.scan(FOLDER);
    await settle();
    await settle();
    assert.equal(settings.always, 1);
    assert.deepEqual(calls, ['scan', 'scan', 'dispatch pending'], 'e1 (left pending) goes too');
    await loop.scan(FOLDER);
    assert.deepEqual(calls.slice(3), ['scan', 'dispatch pending'], 'now on: sent without asking');
    loop.dispose();
  });

  it('does nothing where no pipeline may run (an untrusted workspace), and nothing after dispose', async () => {
    const { clock, loop, calls, settings } = loopWith('on');
    settings.trusted = false;
    loop.changed(FOLDER);
    await clock.advance(DEBOUNCE);
    await loop.opened(FOLDER);
    assert.deepEqual(await loop.dispatch(FOLDER), undefined);
    assert.deepEqual(calls, []);
    settings.trusted = true;
    loop.changed(FOLDER);
    loop.dispose();
    await clock.advance(DEBOUNCE);
    assert.deepEqual(calls, []);
    assert.equal(clock.pending, 0);
  });
});
