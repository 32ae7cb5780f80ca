import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/usage';
import { FlakyServer, ok, sequence } from '../support/flakyServer';

const TOKEN = 'tok_cli_secret_42';

describe('simone-integrations test', () => {
  let server: FlakyServer;
  let workspace: string;

  before(async () => {
    server = await FlakyServer.start();
    workspace = mkdtempSync(join(tmpdir(), 'simone-test-cli-'));
    mkdirSync(join(workspace, '.simone', 'integrations'), { recursive: true });
    writeFileSync(join(workspace, '.env'), `API_TOKEN=${TOKEN}\nAPI_URL=${server.url}\n`);
    writeFileSync(
      join(workspace, '.simone', 'integrations', 'crm.yaml'),
      [
        'integration:',
        '  type: request_response',
        '  name: crm',
        '  base_url: ${API_URL}/v2',
        '  timeout: 2s',
        '  retry: { max_attempts: 3, base_delay: 5ms, max_delay: 20ms, backoff_factor: 2, jitter: true }',
        '  auth: { type: bearer, token: "${API_TOKEN}" }',
        '  endpoints:',
        '    get_customer: /customers/{id}',
        '    list_orders: /orders',
        '    create_note:',
        '      url: /notes',
        '      method: POST',
        '      body: { text: hello }',
        '---',
        'integration:',
        '  type: webhook',
        '  name: hooks',
        '  endpoints: []',
        '---',
        'integration:',
        '  type: request_response',
        '  name: paused_crm',
        '  enabled: false',
        '  base_url: ${API_URL}/v2',
        '  endpoints:',
        '    list_orders: /orders',
      ].join('\n'),
    );
  });
  after(async () => {
    await server?.close();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const io: CliIO = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), cwd: workspace, env: {}, signal: new AbortController().signal };
    const code = await main(['test', ...args], io);
    return { code, stdout, stderr };
  }

  it('tests one endpoint: JSON with every attempt, exit 0 when the last one succeeded', async () => {
    server.respond(sequence({ status: 503 }, ok({ id: 7 })));
    const { code, stdout } = await cli('crm.get_customer', '--param', 'id=7', '--format', 'json', '--workspace', workspace);
    assert.equal(code, 0);
    const document = JSON.parse(stdout);
    assert.deepEqual(Object.keys(document), ['integration', 'endpoint', 'ok', 'status', 'attempts', 'durationMs', 'breaker', 'error', 'method', 'url', 'timing', 'response', 'traceId'], 'the original keys first, then the added ones');
    assert.equal(document.method, 'GET');
    assert.equal(document.url, `${server.url}/v2/customers/7`);
    assert.deepEqual(Object.keys(document.timing), ['queuedMs', 'rateLimitWaitMs', 'backoffMs', 'firstByteMs', 'totalMs']);
    assert.equal(document.response.body, JSON.stringify({ id: 7 }, null, 2), 'the body, formatted');
    assert.equal(document.response.headers['content-type'], 'application/json');
    assert.equal(document.traceId, null, 'no telemetry, no trace');
    assert.equal(document.integration, 'crm');
    assert.equal(document.endpoint, 'get_customer');
    assert.equal(document.ok, true);
    assert.equal(document.status, 200);
    assert.equal(document.breaker, 'closed');
    assert.equal(document.error, null);
    assert.deepEqual(document.attempts.map((attempt: { status: number; error: string | null }) => [attempt.status, attempt.error]), [[503, '503 Service Unavailable'], [200, null]]);
    assert.equal(document.attempts[0].delayMs, 0);
    assert.ok(document.attempts[1].delayMs >= 2.5 && document.attempts[1].delayMs <= 5);
    assert.equal(server.requests[1].url, '/v2/customers/7');
    assert.equal(server.requests[1].headers.authorization, `Bearer ${TOKEN}`, 'the auth provider signed the call');
  });

  it('exits 1 when the final attempt failed, and never prints the token', async () => {
    server.respond({ status: 500, body: `bad token ${TOKEN}` });
    const { code, stdout } = await cli('crm.list_orders', '--format', 'json');
    assert.equal(code, 1);
    const document = JSON.parse(stdout);
    assert.equal(document.ok, false);
    assert.equal(document.status, 500);
    assert.equal(document.attempts.length, 3);
    assert.deepEqual(document.error, { kind: 'remote-5xx', message: '500 Internal Server Error' });
    assert.ok(!stdout.includes(TOKEN));
  });

  it('runs all endpoints of an integration without an endpoint name', async () => {
    server.respond((request) => (request.method === 'POST' ? { status: 201, body: {} } : ok()));
    const { code, stdout } = await cli('crm', '--param', 'id=1', '--format', 'json');
    assert.equal(code, 0);
    const document = JSON.parse(stdout);
    assert.equal(document.integration, 'crm');
    assert.equal(document.ok, true);
    assert.deepEqual(document.results.map((result: { endpoint: string; status: number }) => [result.endpoint, result.status]), [['get_customer', 200], ['list_orders', 200], ['create_note', 201]]);
    const note = server.requests.find((request) => request.method === 'POST');
    assert.deepEqual(JSON.parse(note!.body), { text: 'hello' });
  });

  it('fails the whole batch (exit 1) when one endpoint fails, e.g. a missing parameter', async () => {
    server.respond(ok());
    const { code, stdout } = await cli('crm', '--format', 'json');
    assert.equal(code, 1);
    const failed = JSON.parse(stdout).results.find((result: { endpoint: string }) => result.endpoint === 'get_customer');
    assert.deepEqual(failed.error, { kind: 'config', message: 'endpoint "get_customer" needs the parameter "id" (--param id=...)' });
    assert.deepEqual(failed.attempts, []);
  });

  it('prints a readable block per endpoint in text', async () => {
    server.respond(sequence({ status: 429, headers: { 'retry-after': '0' } }, ok()));
    const { code, stdout } = await cli('crm.get_customer', '--param', 'id=9');
    assert.equal(code, 0);
    const lines = stdout.trimEnd().split('\n');
    assert.equal(lines[0], `crm.get_customer  GET ${server.url}/v2/customers/9`);
    assert.match(lines[1], /^ {2}ok 200 in [\d.]+ ms after 2 attempts$/);
    assert.match(lines[2], /^ {2}attempt 1: 429 Too Many Requests in [\d.]+ ms$/);
    assert.match(lines[3], /^ {2}attempt 2: 200 in [\d.]+ ms$/, 'Retry-After: 0 means no backoff');
    assert.match(lines[4], /^ {2}timing: queued [\d.]+ ms, rate limit 0 ms, backoff 0 ms, first byte [\d.]+ ms, total [\d.]+ ms$/);
    assert.equal(lines[5], '  breaker: closed');
  });

  it('exits 2 with a did-you-mean for an unknown integration or endpoint', async () => {
    const unknown = await cli('crn.get_customer');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no integration named "crn" .*Did you mean "crm"\?/);
    const endpoint = await cli('crm.get_custmer');
    assert.equal(endpoint.code, 2);
    assert.match(endpoint.stderr, /"crm" has no endpoint "get_custmer"\. Did you mean "get_customer"\?/);
    const far = await cli('crm.zzz');
    assert.match(far.stderr, /Its endpoints: get_customer, list_orders, create_note\./);
    const wrongType = await cli('hooks');
    assert.equal(wrongType.code, 2);
    assert.match(wrongType.stderr, /"hooks" is a webhook integration/);
    assert.equal((await cli()).code, 2);
    assert.equal((await cli('crm', '--param', 'novalue')).code, 2);
  });

  it('exits 2 without a request for a disabled integration, naming the file that disables it', async () => {
    server.respond(ok());
    const disabled = await cli('paused_crm');
    assert.equal(disabled.code, 2);
    assert.match(disabled.stderr, /"paused_crm" is disabled \(enabled: false in .*crm\.yaml\): nothing is run/);
    assert.equal(server.requests.length, 0);
  });
});
