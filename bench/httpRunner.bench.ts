// Runner overhead per request: runEndpoint (policies, result record, no-op telemetry API; and again with the
// in-memory telemetry SDK) against raw undici `request` reading the same JSON body, on the same loopback server,
// the same agent and the same number of sequential requests.
// The server runs in a worker thread so its work does not share the measuring thread.
// Two more rows take the runner apart: raw undici inside cockatiel's policies alone (bulkhead, retry, circuit
// breaker, per-attempt timeout), and the same without the timeout policy, whose AbortSignal per attempt is most of
// the overhead on loopback.
import { Worker } from 'node:worker_threads';
import { bulkhead, circuitBreaker, ConsecutiveBreaker, handleAll, handleWhen, retry, timeout, TimeoutStrategy } from 'cockatiel';
import { request } from 'undici';
import { integrationFromYaml } from '../test/support/integrationFromYaml';
import { ResilienceRegistry } from '../src/runners/http/resilienceRegistry';
import { runEndpoint } from '../src/runners/http/runEndpoint';
import { closeSharedAgent, sharedAgent } from '../src/runners/http/sharedAgent';
import { setupTelemetry } from '../src/runners/telemetry/telemetry';
import { median, type BenchRow } from './benchRow';

const REQUESTS = 2000;
const BLOCK = 250;
const WARMUP = 300;

const SERVER = `
const { createServer } = require('node:http');
const { parentPort } = require('node:worker_threads');
const body = JSON.stringify({ ok: true, items: [1, 2, 3] });
const server = createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(body); });
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', () => server.close(() => process.exit(0)));
`;

async function time(run: () => Promise<unknown>, count: number, into: number[]): Promise<void> {
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await run();
    into.push(performance.now() - start);
  }
}

export default async function bench(): Promise<BenchRow[]> {
  const worker = new Worker(SERVER, { eval: true });
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  const url = `http://127.0.0.1:${port}/items`;
  const integration = integrationFromYaml('request_response', `integration:\n  type: request_response\n  name: bench\n  base_url: http://127.0.0.1:${port}\n  endpoints:\n    items: /items\n`);
  const registry = new ResilienceRegistry();
  const raw = async () => {
    const response = await request(url, { dispatcher: sharedAgent() });
    await response.body.json();
  };
  const runner = async () => {
    const result = await runEndpoint(integration, 'items', { registry });
    if (!result.ok) throw new Error(`bench request failed: ${result.error?.message}`);
  };

  const policyBulkhead = bulkhead(10, 0);
  const policyBreaker = circuitBreaker(handleAll, { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(5) });
  const policyTimeout = timeout(30_000, { strategy: TimeoutStrategy.Cooperative, abortOnReturn: false });
  const policyRetry = retry(handleWhen(() => false), { maxAttempts: 2 });
  const inPolicies = (withTimeout: boolean) => async () => {
    const send = async (signal?: AbortSignal) => (await request(url, { dispatcher: sharedAgent(), signal })).body.json();
    await policyBulkhead.execute(() => policyRetry.execute(() => policyBreaker.execute(() => (withTimeout ? policyTimeout.execute(({ signal }) => send(signal)) : send()))));
  };
  const policies = inPolicies(true);
  const policiesWithoutTimeout = inPolicies(false);

  const rawTimes: number[] = [];
  const runnerTimes: number[] = [];
  const tracedTimes: number[] = [];
  const policyTimes: number[] = [];
  const policyWithoutTimeoutTimes: number[] = [];
  const traced = async (count: number, into: number[]) => {
    const telemetry = setupTelemetry({ exporter: 'memory', env: {}, maxSpans: 100 });
    await time(runner, count, into);
    await telemetry.dispose();
  };
  await time(raw, WARMUP, []);
  await time(runner, WARMUP, []);
  await traced(WARMUP, []);
  await time(policies, WARMUP, []);
  await time(policiesWithoutTimeout, WARMUP, []);
  // Interleaved blocks, so drift in a shared machine's load hits all three alike.
  for (let done = 0; done < REQUESTS; done += BLOCK) {
    await time(raw, BLOCK, rawTimes);
    await time(runner, BLOCK, runnerTimes);
    await traced(BLOCK, tracedTimes);
    await time(policies, BLOCK, policyTimes);
    await time(policiesWithoutTimeout, BLOCK, policyWithoutTimeoutTimes);
  }

  worker.postMessage('stop');
  await closeSharedAgent();
  registry.dispose();

  const rawMedian = median(rawTimes);
  const runnerMedian = median(runnerTimes);
  const ratio = runnerMedian / rawMedian;
  const tracedRatio = median(tracedTimes) / rawMedian;
  const us = (ms: number) => Math.round(ms * 1000);
  return [
    { name: `http: raw undici request, median per request (${REQUESTS} sequential)`, value: us(rawMedian), unit: 'µs' },
    { name: `http: runEndpoint, median per request (${REQUESTS} sequential)`, value: us(runnerMedian), unit: 'µs' },
    { name: 'http: runner overhead vs raw undici (median ratio)', value: Math.round(ratio * 100) / 100, unit: 'x', goal: '<= 1.15x', met: ratio <= 1.15 },
    { name: 'http: runner with in-memory telemetry SDK vs raw undici', value: Math.round(tracedRatio * 100) / 100, unit: 'x' },
    { name: 'http: raw undici in cockatiel bulkhead+retry+breaker+timeout', value: Math.round((median(policyTimes) / rawMedian) * 100) / 100, unit: 'x' },
    { name: 'http: the same without the timeout policy', value: Math.round((median(policyWithoutTimeoutTimes) / rawMedian) * 100) / 100, unit: 'x' },
  ];
}
