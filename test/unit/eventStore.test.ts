import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { EventStore, type EventDraft } from '../../src/runners/events/eventStore';
import { JsonLinesFile } from '../../src/runners/events/jsonLinesFile';
import { ScanJournal, type ProjectSnapshot } from '../../src/runners/events/projectSnapshot';
import { withFileLock } from '../../src/runners/events/storeLock';

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'simone-store-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const draft = (aggregate: string, type = 'task_created'): EventDraft => ({ type, aggregate, data: { kind: 'task', id: aggregate, done: false, file: `.simone/04_GENERAL_TASKS/${aggregate}.md` }, destinations: ['webhook:hooks/ci'] });

describe('EventStore', () => {
  it('numbers versions per aggregate, lists --since an id, and replays an aggregate', async () => {
    const store = new EventStore(folder);
    const [a1, b1] = await store.append([draft('T1'), draft('T2')]);
    const [a2] = await store.append([draft('T1', 'task_completed')]);
    assert.deepEqual([a1.version, b1.version, a2.version], [1, 1, 2]);
    assert.deepEqual(store.since(a1.id)?.map((event) => event.id), [b1.id, a2.id]);
    assert.equal(store.since('unknown'), undefined);
    const replayed = store.replay('T1');
    assert.equal(replayed?.version, 2);
    assert.equal(replayed?.created, true);
    assert.equal(replayed?.completed, true);
    assert.deepEqual(replayed?.history.map((entry) => entry.type), ['task_created', 'task_completed']);
    assert.equal(store.replay('T9'), undefined);

    // Another reader (another process) sees the same, and the latest delivery record per destination wins.
    const other = new EventStore(folder);
    await other.refresh();
    assert.deepEqual(other.deliveriesOf(other.event(a1.id)!).map((delivery) => delivery.state), ['pending']);
    await store.record([{ eventId: a1.id, destination: 'webhook:hooks/ci', state: 'failed', attempts: 2, time: new Date().toISOString() }]);
    await store.record([{ eventId: a1.id, destination: 'webhook:hooks/ci', state: 'delivered', attempts: 3, time: new Date().toISOString() }]);
    await other.refresh();
    assert.deepEqual(other.deliveriesOf(other.event(a1.id)!).map((delivery) => [delivery.state, delivery.attempts]), [['delivered', 3]]);
    assert.equal(new EventStore(folder).events.length, 0, 'nothing read before refresh');
  });

  it('a torn last line (a write cut short) is moved aside under the lock, reported, and the next append starts clean', async () => {
    const store = new EventStore(folder);
    const [first] = await store.append([draft('T1')]);
    appendFileSync(join(folder, 'events.jsonl'), '{"id":"half-writ');
    const reader = new EventStore(folder);
    await reader.refresh();
    assert.equal(reader.events.length, 1, 'without the lock the tail may be a write in progress: left alone');
    assert.equal(reader.problems.length, 0);

    const [second] = await reader.append([draft('T1')]);
    assert.equal(second.version, 2);
    assert.equal(reader.problems.length, 1);
    assert.match(reader.problems[0].message, /a torn last line \(16 bytes, a write cut short\) was moved to events\.jsonl\.torn-/);
    assert.equal(readFileSync(reader.problems[0].setAside!, 'utf8'), '{"id":"half-writ');
    const lines = readFileSync(join(folder, 'events.jsonl'), 'utf8').split('\n');
    assert.deepEqual(lines.slice(0, -1).map((line) => JSON.parse(line).id), [first.id, second.id]);
  });

  it('lines that are not records are reported with their line and skipped; the file keeps them', async () => {
    writeFileSync(join(folder, 'events.jsonl'), 'not json\n{"some":"object"}\n');
    const store = new EventStore(folder);
    await store.append([draft('T1')]);
    assert.deepEqual(store.problems.map((problem) => [problem.line, problem.message.split(' (')[0]]), [[1, 'not JSON'], [2, 'not a record of this store, skipped']]);
    assert.equal(store.events.length, 1);
    assert.match(readFileSync(join(folder, 'events.jsonl'), 'utf8'), /^not json\n/);
  });

  it('is bounded: a line over the cap is skipped, a store over its size is refused with a clear error', async () => {
    const file = new JsonLinesFile(join(folder, 'x.jsonl'), { maxBytes: 2000, maxLineBytes: 100 }, (value): value is object => typeof value === 'object');
    writeFileSync(file.path, `${JSON.stringify({ long: 'x'.repeat(300_000) })}\n{"short":1}\n`.slice(0, 1900) + '\n{"short":1}\n');
    await file.refresh(false);
    assert.deepEqual(file.records, [{ short: 1 }]);
    assert.match(file.problems[0].message, /line over 100 bytes, skipped/);
    await assert.rejects(file.append([{ big: 'y'.repeat(200) }]), /would grow over 2000 bytes; move it aside/);
    writeFileSync(file.path, 'z'.repeat(3000));
    await assert.rejects(file.refresh(false), /is over 2000 bytes/);
  });
});

describe('the store lock', () => {
  it('is exclusive between holders, and a holder whose process died is broken', async () => {
    const lock = join(folder, 'store.lock');
    const order: string[] = [];
    await Promise.all([
      withFileLock(lock, async () => {
        order.push('a in');
        await new Promise((resolve) => setTimeout(resolve, 50));
        order.push('a out');
      }),
      new Promise((resolve) => setTimeout(resolve, 5)).then(() => withFileLock(lock, async () => void order.push('b'))),
    ]);
    assert.deepEqual(order, ['a in', 'a out', 'b']);

    // A holding by a process that is gone (pid far beyond any live one).
    writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), nonce: 'dead', since: new Date().toISOString() }));
    assert.equal(await withFileLock(lock, async () => 'taken', { timeoutMs: 1000 }), 'taken');
    assert.equal(existsSync(lock), false);
    assert.deepEqual(readdirSync(folder), []);

    // A live holder is waited for, then "busy" after the timeout.
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), nonce: 'alive', since: new Date().toISOString() }));
    await assert.rejects(withFileLock(lock, async () => undefined, { timeoutMs: 100, what: 'the event store' }), /the event store is busy: held by process \d+/);
  });
});

describe('the scan journal', () => {
  const snapshot = (status: string): ProjectSnapshot => ({ scannedAt: new Date().toISOString(), milestones: [], sprints: [], tasks: [{ kind: 'task', id: 'T1', done: false, status, file: 'x.md' }] });

  it('a scan that died after its events were appended keeps its snapshot; one that died before never happened', async () => {
    const journal = new ScanJournal(folder);
    await journal.save(snapshot('open'));
    await journal.begin(snapshot('done'), ['event-1']);
    assert.equal((await journal.load((id) => id === 'event-1'))?.tasks[0].status, 'done');
    assert.equal(existsSync(join(folder, 'snapshot.next.json')), false);

    await journal.begin(snapshot('failed'), ['event-2']);
    assert.equal((await journal.load(() => false))?.tasks[0].status, 'done');
    assert.equal(existsSync(join(folder, 'snapshot.next.json')), false);
  });

  it('a snapshot that is not one is a clear error, not a crash', async () => {
    writeFileSync(join(folder, 'snapshot.json'), '{"nope":1}');
    await assert.rejects(new ScanJournal(folder).load(() => false), /is not a project snapshot; remove it/);
    writeFileSync(join(folder, 'snapshot.json'), '{');
    await assert.rejects(new ScanJournal(folder).load(() => false), /is not readable JSON/);
  });
});
