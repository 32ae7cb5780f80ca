import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/usage';
import { FlakyServer, ok } from '../support/flakyServer';
import { freePort } from '../support/rabbitmq';

const TOKEN = 'health-cli-token-secret';

describe('simone-integrations health', () => {
  let server: FlakyServer;
  let gateway: Server;
  let workspace: string;
  let closedPort: number;

  before(async () => {
    server = await FlakyServer.start();
    gateway = createServer((_request, response) => response.end());
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    closedPort = await freePort();
    workspace = mkdtempSync(join(tmpdir(), 'simone-health-cli-'));
    const integrations = join(workspace, '.simone', 'integrations');
    mkdirSync(integrations, { recursive: true });
    writeFileSync(join(workspace, '.env'), `API_URL=${server.url}/api\nAPI_TOKEN=${TOKEN}\nRABBITMQ_URL=amqp://guest:${TOKEN}@127.0.0.1:${closedPort}\n`);
    writeFileSync(
      join(integrations, 'project_tracker.yaml'),
      [
        'integration:',
        '  type: request_response',
        '  name: project_tracker',
        '  base_url: ${API_URL}',
        '  endpoints: { list_issues: /issues }',
        '  auth: { type: bearer, token: "${API_TOKEN}" }',
        '  health_check: { path: /health, timeout: 2s, expect_status: 200-299 }',
      ].join('\n'),
    );
    writeFileSync(
      join(integrations, 'team_notifications.yaml'),
      ['integration:', '  type: webhook', '  name: team_notifications', '  endpoints:', `    - { name: team_chat, url: "${server.url}/hooks/chat", secret: "\${API_TOKEN}", signature: slack }`].join(
        '\n',
      ),
    );
    writeFileSync(
      join(integrations, 'task_queue.yaml'),
      ['integration:', '  type: message_queue', '  name: task_queue', '  enabled: false', '  connection_url: ${RABBITMQ_URL}', '  queues:', '    - { name: simone_events }'].join('\n'),
    );
    writeFileSync(
      join(integrations, 'architecture.yaml'),
      [
        'microservices:',
        '  services:',
        `    - { name: milestone_service, url: "${server.url}", health_check: /health }`,
        '---',
        'api_gateway:',
        '  host: 127.0.0.1',
        `  port: ${(gateway.address() as AddressInfo).port}`,
        '  routes: [{ path: /m, service: milestone_service, methods: [GET] }]',
      ].join('\n'),
    );
  });
  after(async () => {
    await server?.close();
    if (gateway) await new Promise((resolve) => gateway.close(resolve));
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  async function cli(args: string[], cwd = workspace): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const io: CliIO = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), cwd, env: {}, signal: new AbortController().signal };
    const code = await main(['health', ...args], io);
    return { code, stdout, stderr };
  }

  it('json: every integration, service and gateway with name, type, state, latencyMs and detail; exit 0 when none is unhealthy', async () => {
    server.respond(ok());
    const { code, stdout } = await cli(['--format', 'json']);
    const document = JSON.parse(stdout) as { integrations: Array<Record<string, unknown>> };
    assert.deepEqual(Object.keys(document), ['integrations']);
    for (const entry of document.integrations) {
      assert.deepEqual(Object.keys(entry), ['name', 'type', 'state', 'latencyMs', 'detail']);
      assert.equal(typeof entry.latencyMs, 'number');
    }
    assert.deepEqual(
      document.integrations.map((entry) => [entry.name, entry.type, entry.state]),
      [
        ['project_tracker', 'request_response', 'healthy'],
        ['task_queue', 'message_queue', 'unknown'],
        ['team_notifications', 'webhook', 'healthy'],
        ['milestone_service', 'microservice', 'healthy'],
        ['api_gateway', 'api_gateway', 'healthy'],
      ],
    );
    assert.equal(document.integrations.find((entry) => entry.name === 'task_queue')?.detail, 'disabled');
    assert.equal(code, 0);
    assert.ok(server.requests.some((request) => request.url === '/api/health' && request.headers.authorization === `Bearer ${TOKEN}`));
  });

  it('text: an aligned table with the state as a word; exit 1 when one is unhealthy, secrets never shown', async () => {
    server.respond({ status: 503 });
    const { code, stdout } = await cli([]);
    assert.equal(code, 1);
    const lines = stdout.split('\n');
    assert.match(lines[0], /^NAME +TYPE +STATE +LATENCY +DETAIL$/);
    const stateColumn = lines[0].indexOf('STATE');
    const tracker = lines.find((line) => line.startsWith('project_tracker'))!;
    assert.equal(tracker.slice(stateColumn).split(' ')[0], 'unhealthy');
    assert.match(tracker, /answered 503, expected 200-299/);
    assert.equal(
      lines
        .find((line) => line.startsWith('task_queue'))!
        .slice(stateColumn)
        .split(' ')[0],
      'unknown',
    );
    assert.match(stdout, /\n\d+ unhealthy|, \d+ unhealthy/);
    assert.ok(!stdout.includes(TOKEN));
    assert.ok(!stdout.includes('\u001b['), 'no colour codes');
  });

  it('PATH and --workspace name the workspace from anywhere', async () => {
    server.respond(ok());
    const elsewhere = tmpdir();
    assert.equal((await cli([workspace, '--format', 'json'], elsewhere)).code, 0);
    const { code, stdout } = await cli(['--workspace', workspace, '--format', 'json'], elsewhere);
    assert.equal(code, 0);
    assert.equal((JSON.parse(stdout) as { integrations: unknown[] }).integrations.length, 5);
  });

  it('bad usage exits 2 with the reason', async () => {
    const format = await cli(['--format', 'yaml']);
    assert.equal(format.code, 2);
    assert.match(format.stderr, /--format must be one of text, json/);
    const missing = await cli([join(workspace, 'nowhere')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no such file or folder/);
  });
});
