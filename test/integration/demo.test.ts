import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseDotEnv } from '../../src/core/env';
import { nginxBinary } from '../support/nginxGateway';
import { freePort, rabbitMqInstalled } from '../support/rabbitmq';

const ROOT = join(__dirname, '..', '..');
const EXAMPLES = join(ROOT, 'examples');
/** Every port examples/ names for a local service; the copy gets free ones so parallel test files never collide. */
const EXAMPLE_PORTS = [4010, 4020, 4030, 4041, 4042, 4043, 4050];
/** About 60 s on a loaded 2-core machine; the broker's boot is the slow part. */
const DEMO_TIMEOUT_MS = 240_000;

interface DemoOutput {
  code: number | null;
  output: string;
  ms: number;
}

/** `npm run demo`'s script as a child process, on `workspace`, with the environment given. */
function runDemo(workspace: string, env: NodeJS.ProcessEnv): Promise<DemoOutput> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/demo/main.ts'), '--workspace', workspace], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // A demo that hangs is stopped the way Ctrl+C would stop it, so it takes its broker down.
  const guard = setTimeout(() => child.kill('SIGTERM'), DEMO_TIMEOUT_MS);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(guard);
      resolve({ code, output, ms: performance.now() - started });
    }),
  );
}

/** The values of examples/.env that are secrets (and the Standard Webhooks key inside its whsec_ form). */
function exampleSecrets(): string[] {
  const values = [...parseDotEnv(readFileSync(join(EXAMPLES, '.env'), 'utf8'))].filter(([name]) => /SECRET|TOKEN|KEY|PASSWORD|URL/.test(name)).map(([, value]) => value);
  const decoded = values.filter((value) => value.startsWith('whsec_')).map((value) => Buffer.from(value.slice('whsec_'.length), 'base64').toString('utf8'));
  return [...values, ...decoded, 'guest:guest'].filter((value) => value.length >= 8);
}

/** Whether any process still runs with `text` in its command line (a broker node left behind). */
function processRunning(text: string): boolean {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .some((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false;
      }
    });
}

describe('npm run demo', { timeout: 300_000 }, () => {
  const workspace = mkdtempSync(join(tmpdir(), 'simone-demo-'));
  const withBroker = rabbitMqInstalled();
  const withNginx = nginxBinary() !== undefined;
  let run: DemoOutput;

  before(async () => {
    cpSync(EXAMPLES, workspace, { recursive: true, filter: (source) => !['.simone/data', 'broken'].includes(relative(EXAMPLES, source)) });
    const ports = new Map<number, number>();
    for (const port of EXAMPLE_PORTS) ports.set(port, await freePort());
    const integrations = join(workspace, '.simone/integrations');
    for (const file of readdirSync(integrations)) {
      const path = join(integrations, file);
      writeFileSync(path, readFileSync(path, 'utf8').replace(/\b40[1-5]\d\b/g, (port) => String(ports.get(Number(port)) ?? port)));
    }
    // The process environment wins over the workspace's .env, as for any run.
    const env = { ...process.env, RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${await freePort()}` };
    run = await runDemo(workspace, env);
  });
  after(() => rmSync(workspace, { recursive: true, force: true }));

  it('exits 0 with every step ok (the queue steps skipped only without rabbitmq-server)', () => {
    assert.equal(run.code, 0, run.output);
    const steps = ['workspace', 'services', 'validate', 'test endpoints', 'sync preview', 'sync', 'sync again', 'health', 'webhook sign/verify', 'webhook receive', 'webhooks out', 'event publish'];
    if (withBroker) steps.push('broker', 'queue publish/peek', 'event in queue');
    if (withNginx) steps.push('gateway test');
    for (const step of steps) assert.match(run.output, new RegExp(`^✔ ${step.replace('/', '\\/')}: `, 'm'), `no success line for ${step}`);
    assert.match(run.output, /^ {2}\d+ ok, 0 failed, \d+ skipped$/m);
    if (!withBroker) assert.match(run.output, /^– queue publish\/peek: SKIPPED: rabbitmq-server is not installed/m);
    if (!withNginx) assert.match(run.output, /^– gateway test: SKIPPED: nginx is not installed/m);
  });

  it('tests every route of the gateway through nginx with a JWT the services verify, and sees its rate limit', { skip: !withNginx && 'nginx is not installed' }, () => {
    assert.match(run.output, /^ {2}api gateway \(nginx\) +http:\/\/127\.0\.0\.1:\d+ +\/simone\/milestones \[GET POST PUT\]/m);
    assert.match(run.output, /^✔ gateway test: 8 of 8 route requests passed through nginx with a signed JWT; throttled as configured: 50 of 51 passed, 1 answered 429 \(burst_size 50\)$/m);
    assert.match(run.output, /^ {4}DELETE +\/simone\/tasks +ok 200 in [\d.]+ ms {2}-> task_service$/m);
  });

  it('shows a retry, an idempotent second sync and a verified webhook', () => {
    assert.match(run.output, /\[tracker\] GET \/api\/issues -> 503/);
    assert.match(run.output, /project_tracker\.list_issues .*\n\s+ok 200 in [\d.]+ ms after 2 attempts/);
    assert.match(run.output, /^✔ sync again: zero changes in 3 incremental tables \(idempotent\)$/m);
    assert.match(run.output, /^ {2}tasks -> project_tasks: no changes \(10 unchanged\)$/m);
    assert.match(run.output, /\[receiver\] \{"integration":"team_notifications","endpoint":"code_host"/);
    assert.match(run.output, /\[receiver\] rejected 401 code_host: signature mismatch/);
    // A webhook URL's path is a secret place (Slack-style URLs carry the token there), so the sink logs it masked.
    assert.match(run.output, /\[sink\] POST \*\*\* -> 200: standard signature verified/);
    assert.match(run.output, /\[tracker\] POST \/api\/events -> 202: CloudEvent 1\.0 simone\.task_completed/);
    if (withBroker) assert.match(run.output, /"type":"simone\.task_completed"/);
  });

  it('prints no secret of examples/.env', () => {
    for (const secret of exampleSecrets()) assert.ok(!run.output.includes(secret), `a secret of examples/.env (${secret.slice(0, 4)}…) is in the output`);
  });

  it('leaves no broker running', { skip: !withBroker && 'rabbitmq-server is not installed' }, () => {
    const node = /private node (\S+) on /.exec(run.output)?.[1];
    assert.ok(node, 'the transcript names the broker node');
    assert.equal(processRunning(node), false, `${node} still runs`);
    process.stdout.write(`# demo run took ${(run.ms / 1000).toFixed(1)} s\n`);
  });
});
