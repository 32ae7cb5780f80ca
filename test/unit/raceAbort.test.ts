import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { raceAbort } from '../../src/runners/raceAbort';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => ((resolve = yes), (reject = no)));
  return { promise, resolve, reject };
}

describe('raceAbort', () => {
  it('settles as the work does while the signal stays quiet', async () => {
    assert.equal(await raceAbort(Promise.resolve(7), new AbortController().signal), 7);
    await assert.rejects(raceAbort(Promise.reject(new Error('boom')), new AbortController().signal), /boom/);
    assert.equal(await raceAbort(Promise.resolve('no signal'), undefined), 'no signal');
  });

  it('rejects with the reason as soon as the signal aborts; the work goes on', async () => {
    const work = deferred<string>();
    const controller = new AbortController();
    const raced = raceAbort(work.promise, controller.signal);
    controller.abort(new Error('stop'));
    await assert.rejects(raced, /stop/);
    work.resolve('later');
    assert.equal(await work.promise, 'later');
  });

  it('an aborted signal rejects at once, and a later failure of the work is not unhandled', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const work = deferred<string>();
      await assert.rejects(raceAbort(work.promise, AbortSignal.abort(new Error('already'))), /already/);
      work.reject(new Error('late failure'));
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(unhandled, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
