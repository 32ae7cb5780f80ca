import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventsRefresh } from '../../src/extension/events/eventsRefresh';
import { FakeClock } from '../support/fakeClock';

describe('the Events view refresh owner', () => {
  it('reads nothing while the view is hidden, and what changed meanwhile once it shows', async () => {
    const clock = new FakeClock();
    const reads: string[] = [];
    const refresh = new EventsRefresh((folder) => reads.push(folder), { clock, debounceMs: 100 });
    refresh.changed('/a');
    refresh.changed('/b');
    await clock.advance(10_000);
    assert.deepEqual(reads, [], 'hidden: the store is not read');
    refresh.setVisible(true);
    await clock.advance(0);
    assert.deepEqual(reads.sort(), ['/a', '/b']);
    refresh.setVisible(false);
    refresh.setVisible(true);
    await clock.advance(1000);
    assert.equal(reads.length, 2, 'shown again with nothing new: nothing read');
    refresh.dispose();
  });

  it('reads a burst of changes (a dispatch recording one delivery after another) once, after the burst', async () => {
    const clock = new FakeClock();
    const reads: string[] = [];
    const refresh = new EventsRefresh((folder) => reads.push(folder), { clock, debounceMs: 100 });
    refresh.setVisible(true);
    for (let change = 0; change < 10; change++) {
      refresh.changed('/a');
      await clock.advance(20);
    }
    assert.deepEqual(reads, []);
    await clock.advance(100);
    assert.deepEqual(reads, ['/a']);
    refresh.changed('/a');
    refresh.now(['/a']);
    await clock.advance(1000);
    assert.deepEqual(reads, ['/a', '/a'], 'a manual read at once takes the pending one with it');
    refresh.changed('/a');
    refresh.dispose();
    await clock.advance(1000);
    assert.equal(reads.length, 2, 'nothing after dispose');
    assert.equal(clock.pending, 0);
  });
});
