// The language server's hover latency on one open file while another file is being checked: the hostile
// inputs of issue 15 (an unclosed `${A:-` before 100 KB of text; 20,000 aliases) and a rule made slow on
// purpose (the test validator's `# SLOW <ms>`), so the measure holds whatever validation costs. Checks run
// in a worker thread (docs/language-server.md); the baseline is the same hovers with nothing being checked.
import type { Hover } from 'vscode-languageserver/node';
import { startTestServer, type TestServer } from '../test/support/testConnection';
import { TempWorkspace } from '../test/support/tempWorkspace';
import { TEST_VALIDATOR } from '../test/support/testValidator';
import { median, percentile, type BenchRow } from './benchRow';

const HOVERS = 40;
const SLOW_RULE_MS = 5_000;
const INTEGRATIONS = '.simone/integrations';
const HOVERED = `integration:
  type: message_queue
  name: hovered_broker
  connection_url: amqp://127.0.0.1:5672
  queues:
    - name: hovered_orders
`;

const HOSTILE: Array<{ label: string; text: string }> = [
  { label: 'an unclosed ${A:- before 100 KB', text: `integration:\n  type: http\n  name: unclosed\n  base_url: "\${A:-${'x'.repeat(100_000)}"\n` },
  { label: '20,000 aliases', text: `integration:\n  type: http\n  name: aliases\n  shared: &shared {k: v}\n  list:\n${'    - *shared\n'.repeat(20_000)}` },
  { label: `a ${SLOW_RULE_MS / 1000} s rule`, text: `# SLOW ${SLOW_RULE_MS}\n${HOVERED.replaceAll('hovered', 'slow')}` },
];

/** Hover latencies on `uri`, one after another, until `until` settles (at least HOVERS of them). */
async function hoverLatencies(server: TestServer, uri: string, until: Promise<unknown> = Promise.resolve()): Promise<number[]> {
  let settled = false;
  void until.finally(() => (settled = true));
  const times: number[] = [];
  while (times.length < HOVERS || !settled) {
    const started = performance.now();
    const hover = await server.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 4 } });
    times.push(performance.now() - started);
    if (!hover) throw new Error('the hover on the open document answered nothing');
  }
  return times;
}

const round = (value: number) => Math.round(value * 10) / 10;

export default async function responsivenessBench(): Promise<BenchRow[]> {
  const workspace = new TempWorkspace();
  const server = await startTestServer({ folders: [workspace.root], validator: TEST_VALIDATOR });
  const rows: BenchRow[] = [];
  try {
    const hovered = workspace.uri(`${INTEGRATIONS}/hovered.yaml`);
    await server.open(hovered, HOVERED);
    await server.waitForDiagnostics(hovered);
    const idle = percentile(await hoverLatencies(server, hovered), 95);
    rows.push({ name: 'LS hover latency, nothing being checked (p95)', value: round(idle), unit: 'ms' });
    for (const [i, { label, text }] of HOSTILE.entries()) {
      const uri = workspace.uri(`${INTEGRATIONS}/hostile_${i}.yaml`);
      const opened = performance.now();
      await server.open(uri, text);
      const checked = server.waitForDiagnostics(uri, undefined, 120_000);
      const times = await hoverLatencies(server, hovered, checked);
      const checkMs = performance.now() - opened;
      const p95 = percentile(times, 95);
      rows.push(
        { name: `LS hover latency while checking ${label} (p95)`, value: round(p95), unit: 'ms', goal: '< 50 ms', met: p95 < 50 },
        { name: `LS hover p95 while checking ${label}, vs idle`, value: Math.round((p95 / idle) * 100) / 100, unit: 'x' },
        { name: `LS check of ${label} (median hover meanwhile ${round(median(times))} ms)`, value: Math.round(checkMs), unit: 'ms' },
      );
      await server.close(uri);
    }
  } finally {
    await server.shutdown();
    workspace.dispose();
  }
  return rows;
}
