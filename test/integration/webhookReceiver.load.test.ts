import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { median } from '../../bench/benchRow';
import { statusOf } from '../support/rawHttpClient';
import { closeAll, parkTricklingBodies, parkUnsignedBodies, startReceiverProcess, timeDeliveries } from '../support/receiverLoad';

const PARKED = 1000;

describe('webhook receiver under 1,000 parked connections (issue 15)', () => {
  it('keeps its memory under 300 MB, still answers valid deliveries, and cuts trickling bodies at the body timeout', { timeout: 120_000 }, async () => {
    const receiver = await startReceiverProcess();
    try {
      const unsigned = await parkUnsignedBodies(receiver, PARKED);
      // Unsigned: refused before their bodies are read, and their connections closed.
      await Promise.all(unsigned.map(({ ended }) => ended));
      assert.deepEqual(new Set(unsigned.map(({ answer }) => statusOf(answer()))), new Set([401]));

      const trickling = await parkTricklingBodies(receiver, PARKED);
      const parkedAt = performance.now();
      try {
        const deliveries = await timeDeliveries(receiver, 9);
        assert.deepEqual(new Set(deliveries.map(({ status }) => status)), new Set([200]));
        const medianMs = median(deliveries.map(({ ms }) => ms));
        // The goal is 50 ms (`npm run bench` reports it); this bound only catches a receiver stuck behind the parked ones.
        assert.ok(medianMs < 1000, `median delivery ${Math.round(medianMs)} ms while ${PARKED} bodies trickle`);
        const peak = await receiver.peakRssMb();
        assert.ok(peak < 300, `receiver peak RSS ${peak} MB`);

        await Promise.all(trickling.exchanges.map(({ answered }) => answered));
        const cutAfterMs = performance.now() - parkedAt;
        assert.deepEqual(new Set(trickling.exchanges.map(({ answer }) => statusOf(answer()))), new Set([408]));
        // The body timeout is 10 s from each request's headers; this catches a cut that never comes (Node would wait 300 s).
        assert.ok(cutAfterMs < 30_000, `trickling bodies cut after ${Math.round(cutAfterMs)} ms`);
        assert.ok((await receiver.peakRssMb()) < 300);
      } finally {
        trickling.stop();
        closeAll(trickling.exchanges);
      }
    } finally {
      await receiver.stop();
    }
  });
});
