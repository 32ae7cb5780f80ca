// Webhook signature verifications per second per scheme, on a 1 KB JSON body, against one bare HMAC-SHA256
// of the same body in the same run (the floor every scheme sits on). The issue sets no goal: rates are reported.
// Then the receiver under load (issue 15): a valid delivery's median latency while 1,000 unsigned 1 MB bodies
// were refused and 1,000 signed bodies trickle, against the same deliveries to the idle receiver, and the
// receiver process's peak RSS. Goals: < 50 ms, < 300 MB.
import { createHmac } from 'node:crypto';
import { SIGNATURE_SCHEMES, SIGNING_SCHEMES } from '../src/runners/webhook/signatureSchemes';
import { closeAll, parkTricklingBodies, parkUnsignedBodies, startReceiverProcess, timeDeliveries } from '../test/support/receiverLoad';
import { median, type BenchRow } from './benchRow';

const BATCH_MS = 250;

/** Calls per second: the median of a few timed batches after a warm-up. */
function rate(work: () => void): number {
  for (let i = 0; i < 2000; i++) work();
  const samples: number[] = [];
  for (let run = 0; run < 5; run++) {
    let calls = 0;
    const start = performance.now();
    while (performance.now() - start < BATCH_MS) {
      for (let i = 0; i < 100; i++) work();
      calls += 100;
    }
    samples.push(calls / ((performance.now() - start) / 1000));
  }
  return Math.round(median(samples));
}

export default async function webhookBench(): Promise<BenchRow[]> {
  const body = Buffer.from(JSON.stringify({ type: 'task_completed', data: { task_id: 'T01_S01', notes: 'x'.repeat(930) } }));
  const secrets = { github: 'bench-secret', standard: 'whsec_' + Buffer.from('b'.repeat(32)).toString('base64'), slack: 'bench-secret', stripe: 'whsec_bench' };
  const rows: BenchRow[] = [];
  const baseline = rate(() => createHmac('sha256', 'bench-secret').update(body).digest('hex'));
  rows.push({ name: 'webhook: bare HMAC-SHA256 of 1 KB (baseline)', value: baseline, unit: 'ops/s' });
  for (const name of SIGNING_SCHEMES) {
    const scheme = SIGNATURE_SCHEMES[name];
    const headers = scheme.sign(body, secrets[name]);
    if (!scheme.verify(body, headers, secrets[name], { toleranceMs: 300_000 }).ok) throw new Error(`${name}: the bench's own signature does not verify`);
    const verifications = rate(() => scheme.verify(body, headers, secrets[name], { toleranceMs: 300_000 }));
    rows.push({ name: `webhook: ${name} verifications of 1 KB`, value: verifications, unit: 'ops/s' });
  }
  rows.push(...(await receiverUnderLoad()));
  return rows;
}

const PARKED = 1000;
const DELIVERIES = 21;

async function receiverUnderLoad(): Promise<BenchRow[]> {
  const receiver = await startReceiverProcess();
  const medianMs = async () => {
    const timings = await timeDeliveries(receiver, DELIVERIES);
    if (timings.some(({ status }) => status !== 200)) throw new Error(`webhook bench: a valid delivery was answered ${timings.find(({ status }) => status !== 200)!.status}`);
    return Math.round(median(timings.map(({ ms }) => ms)) * 10) / 10;
  };
  try {
    await timeDeliveries(receiver, DELIVERIES); // warm-up
    const idle = await medianMs();
    const unsigned = await parkUnsignedBodies(receiver, PARKED);
    await Promise.all(unsigned.map(({ ended }) => ended));
    const trickling = await parkTricklingBodies(receiver, PARKED);
    try {
      const loaded = await medianMs();
      const peakRss = await receiver.peakRssMb();
      return [
        { name: 'webhook: valid delivery, idle receiver (baseline)', value: idle, unit: 'ms' },
        { name: `webhook: valid delivery, ${PARKED} bodies trickling`, value: loaded, unit: 'ms', goal: '< 50 ms', met: loaded < 50 },
        { name: `webhook: receiver peak RSS, ${PARKED} unsigned + ${PARKED} trickling`, value: peakRss, unit: 'MB', goal: '< 300 MB', met: peakRss < 300 },
      ];
    } finally {
      trickling.stop();
      closeAll(trickling.exchanges);
    }
  } finally {
    await receiver.stop();
  }
}
