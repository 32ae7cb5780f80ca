/**
 * Secrets never leave through any sink: distinctive values in every secret place (in `.env` and in the process
 * environment), every CLI command in text and JSON against real local services that fail and succeed, the
 * language server's answers and exported spans, all grepped for every value and its encoded forms.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, CompletionList, Diagnostic, DocumentSymbol, Hover } from 'vscode-languageserver-types';
import { main } from '../../src/cli/main';
import type { RequestResponseIntegration } from '../../src/core/model';
import { Redactor } from '../../src/core/redactor';
import { Workspace } from '../../src/core/workspace';
import { ResilienceRegistry } from '../../src/runners/http/resilienceRegistry';
import { runEndpoint } from '../../src/runners/http/runEndpoint';
import { closeSharedAgent } from '../../src/runners/http/sharedAgent';
import { setupTelemetry } from '../../src/runners/telemetry/telemetry';
import { SIGNATURE_SCHEMES } from '../../src/runners/webhook/signatureSchemes';
import { FlakyServer, type ReceivedRequest } from '../support/flakyServer';
import { postJson } from '../support/postJson';
import { startPostgres, type PostgresServer } from '../support/postgres';
import { startRabbitMq, type RabbitMqBroker } from '../support/rabbitmq';
import { TempWorkspace } from '../support/tempWorkspace';
import { startTestServer } from '../support/testConnection';
import { until } from '../support/until';

/** From the process environment. */
const PROCESS_ENV = { API_TOKEN: 'bearer-Tok3n-a1b2', API_KEY: 'apikey-Val-w3x4' };
/** From `.env`: every one a distinctive value in a secret place; some with characters that break URLs. */
const DOT_ENV = {
  QUERY_TOKEN: 'qry-Tok3n-c3d4',
  AUTH_HEADER: 'Bearer hdr-Tok3n-e5f6',
  BASIC_USER: 'basic-user-g7h8',
  BASIC_PASS: 'basic-Pa55-i9j0',
  URL_PASS: 'url-Pa55-k1l2',
  HOOK_PATH: 'T0001/B0001/hookPath-m3n4',
  HOOK_SECRET: 'whsec-Hook-o5p6',
  CLIENT_SECRET: 'oauth-Sec-y5z6',
  SERVICE_PASS: 'svc-Pa55-a7b8',
  JWT_SECRET: 'gw-Jwt-Secret-u1v2',
  DB_URL: 'postgresql://dbuser:db/Pa55#q7r8@127.0.0.1:1/reports',
  DOWN_AMQP: 'amqp://mquser:mq/Pa55#s9t0@127.0.0.1:1',
};
const SIGN_SECRET = 'sign-Sec-c9d0';

/** Every form a leaked value could take: as is, URL-encoded, base64; and `user:password` as Basic sends it. */
function forms(values: string[]): string[] {
  const pairs = [`${DOT_ENV.BASIC_USER}:${DOT_ENV.BASIC_PASS}`, `svc:${DOT_ENV.SERVICE_PASS}`];
  return [...new Set([...values, ...pairs].flatMap((value) => [value, encodeURIComponent(value), Buffer.from(value).toString('base64')]))];
}

function leaks(outputs: Array<{ label: string; text: string }>, values: string[]): string[] {
  const found: string[] = [];
  for (const form of forms(values)) for (const { label, text } of outputs) if (text.includes(form)) found.push(`${label}: ${form}`);
  return found;
}

/** A service that echoes what it was sent (as some real ones do in their errors), and fails every other call. */
function echoing(request: ReceivedRequest, index: number) {
  return { status: index % 2 === 0 ? 401 : 200, body: { error: `rejected ${request.url}`, headers: request.headers } };
}

function integrationsYaml(api: string, postgres: PostgresServer): string {
  const port = new URL(api).port;
  return `integration:
  type: request_response
  name: crm
  base_url: ${api}/v1?apiToken=\${QUERY_TOKEN}
  timeout: 2s
  retry: { max_attempts: 1, base_delay: 5ms }
  auth: { type: bearer, token: "\${API_TOKEN}" }
  health_check: { path: /health }
  endpoints:
    notes: { url: /notes, headers: { X-Upstream-Auth: "\${AUTH_HEADER}" } }
    orders: /orders
---
integration:
  type: request_response
  name: basic_api
  base_url: ${api}
  auth: { type: basic, username: "\${BASIC_USER}", password: "\${BASIC_PASS}" }
  endpoints: { ping: /ping }
---
integration:
  type: request_response
  name: keyed_api
  base_url: ${api}
  auth: { type: api_key, key: "\${API_KEY}" }
  endpoints: { ping: /ping }
---
integration:
  type: request_response
  name: oauth_api
  base_url: ${api}
  auth: { type: oauth2_client_credentials, token_url: "${api}/token", client_id: simone, client_secret: "\${CLIENT_SECRET}" }
  endpoints: { ping: /ping }
---
integration:
  type: request_response
  name: legacy
  base_url: http://legacy-user-x:\${URL_PASS}@127.0.0.1:1/v1
  timeout: 1s
  retry: { max_attempts: 1, base_delay: 5ms }
  endpoints: { ping: /ping }
---
integration:
  type: webhook
  name: hooks
  endpoints:
    - { name: slack, url: "http://127.0.0.1:${port}/services/\${HOOK_PATH}", secret: "\${HOOK_SECRET}", signature: slack }
    - { name: github_push, secret: "\${HOOK_SECRET}" }
  receiver: { port: 0 }
---
integration:
  type: database
  name: reports
  timeout: 10s
  connections:
    - { name: main, type: postgresql, host: 127.0.0.1, port: ${postgres.port}, database: ${postgres.database}, user: ${postgres.user}, password: "\${DB_PASSWORD}", schema: reports }
  sync_tables:
    - { source: tasks, target: tasks }
---
integration:
  type: database
  name: broken_db
  timeout: 5s
  connections:
    - { name: main, type: postgresql, url: "\${DB_URL}" }
  sync_tables:
    - { source: tasks, target: tasks }
---
integration:
  type: message_queue
  name: bus
  connection_url: \${AMQP_URL}
  timeout: 10s
  queues:
    - { name: secret_orders }
---
integration:
  type: message_queue
  name: down_bus
  connection_url: \${DOWN_AMQP}
  timeout: 2s
  queues:
    - { name: down_orders }
---
microservices:
  services:
    - { name: users, url: "http://svc:\${SERVICE_PASS}@127.0.0.1:${port}", health_check: "/health?key=\${QUERY_TOKEN}" }
---
api_gateway:
  authentication: { type: jwt, secret: "\${JWT_SECRET}" }
  routes:
    - { path: /users, service: users }
`;
}

describe('secrets: masked by value at every sink', { timeout: 240_000 }, () => {
  let api: FlakyServer;
  let collector: FlakyServer;
  let postgres: PostgresServer;
  let broker: RabbitMqBroker;
  let workspace: TempWorkspace;
  let secretValues: string[];
  const outputs: Array<{ label: string; text: string }> = [];

  before(async () => {
    [api, collector, postgres, broker] = await Promise.all([FlakyServer.start(), FlakyServer.start(), startPostgres(), startRabbitMq()]);
    api.respond(echoing);
    collector.respond({ status: 200, body: {} });
    workspace = new TempWorkspace({
      '.env': Object.entries({ ...DOT_ENV, DB_PASSWORD: postgres.password, AMQP_URL: broker.url }).map(([name, value]) => `${name}=${value}`).join('\n') + '\n',
      '.simone/integrations/all.yaml': integrationsYaml(api.url, postgres),
      '.simone/04_GENERAL_TASKS/T001_A.md': '---\ntask_id: T001\nstatus: open\n---\n',
    });
    // A Basic user name alone is no secret (the schema says so); sent with its password it is, as the pair.
    secretValues = [...Object.values(PROCESS_ENV), ...Object.values(DOT_ENV).filter((value) => value !== DOT_ENV.BASIC_USER), postgres.password, broker.url, SIGN_SECRET];
  });
  after(async () => {
    await Promise.all([api?.close(), collector?.close(), postgres?.stop(), broker?.stop()]);
    await closeSharedAgent();
    workspace?.dispose();
  });

  async function cli(args: string[], signal = new AbortController().signal, env: NodeJS.ProcessEnv = PROCESS_ENV) {
    const io = { out: '', err: '' };
    const code = await main(args, { stdout: (text) => void (io.out += text), stderr: (text) => void (io.err += text), cwd: workspace.root, env, signal });
    outputs.push({ label: args.join(' '), text: io.out + io.err });
    return { code, ...io };
  }

  it('the values really go where they belong (so a clean output means masked, not unused)', () => {
    const built = Workspace.load({ workspace: workspace.root, processEnv: PROCESS_ENV });
    const known = new Set(built.secrets());
    for (const value of secretValues.filter((value) => value !== SIGN_SECRET)) assert.ok(known.has(value), `${value} is known as a secret`);
  });

  it('seen leak: ?apiToken=${QUERY_TOKEN} is not printed by `test` nor exported in url.full', async () => {
    const run = await cli(['test', 'crm.orders', '--format', 'json'], undefined, { ...PROCESS_ENV, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${collector.url}/v1/traces` });
    assert.ok(api.requests.some((received) => received.url.includes(DOT_ENV.QUERY_TOKEN) && received.headers.authorization === `Bearer ${PROCESS_ENV.API_TOKEN}`), 'the token was sent');
    assert.ok(run.out.includes('apiToken=***'), run.out);
    const exported = collector.requests.map((received) => received.body).join('\n');
    assert.ok(exported.includes('url.full') && exported.includes('apiToken=***'), 'spans were exported over OTLP, masked');
    outputs.push({ label: 'OTLP export', text: exported });
    assert.deepEqual(leaks(outputs, secretValues), []);
  });

  it('seen leak: a ${VAR} in a webhook URL path is not printed in `health` details', async () => {
    for (const format of ['text', 'json']) {
      const run = await cli(['health', '--format', format]);
      assert.ok(run.out.includes('hooks') && run.out.includes('users'), run.out);
    }
    assert.deepEqual(leaks(outputs, [DOT_ENV.HOOK_PATH]), []);
  });

  it('seen leak: a connection URL whose password holds / or # is never printed whole in sync or health errors', async () => {
    for (const format of ['text', 'json']) {
      const run = await cli(['sync', 'broken_db', '--format', format]);
      assert.equal(run.code, 1, run.out + run.err);
      const health = await cli(['health', '--format', format]);
      assert.match(health.out, /broken_db/);
    }
    assert.deepEqual(leaks(outputs, [DOT_ENV.DB_URL, 'db/Pa55#q7r8', 'mq/Pa55#s9t0']), []);
  });

  it('every CLI command, text and JSON, failing and succeeding: no value in any form', async () => {
    for (const format of ['text', 'json', 'github']) await cli(['validate', '--format', format]);
    for (const format of ['text', 'json']) {
      for (const target of ['crm', 'basic_api', 'keyed_api', 'oauth_api', 'legacy']) await cli(['test', target, '--format', format]);
      await cli(['sync', 'reports', '--dry-run', '--format', format]);
      await cli(['sync', 'reports', '--format', format]);
      const published = await cli(['queue', 'publish', 'bus', 'secret_orders', '--message', '{"n":1}', '--header', 'x-from=secrets-test', '--format', format]);
      assert.equal(published.code, 0, published.err);
      await cli(['queue', 'peek', 'bus', 'secret_orders', '--format', format]);
      const down = await cli(['queue', 'publish', 'down_bus', 'down_orders', '--message', '{"n":1}', '--format', format]);
      assert.equal(down.code, 1);
    }
    assert.ok(api.requests.some((received) => received.headers.authorization === `Basic ${Buffer.from(`${DOT_ENV.BASIC_USER}:${DOT_ENV.BASIC_PASS}`).toString('base64')}`), 'Basic credentials were sent');
    assert.ok(api.requests.some((received) => received.headers['x-api-key'] === PROCESS_ENV.API_KEY), 'the API key was sent');

    const signed = await cli(['webhook', 'sign', '--scheme', 'github', '--secret', SIGN_SECRET, '--payload', `{"echo":"${SIGN_SECRET}"}`]);
    assert.equal(signed.code, 0);
    await cli(['webhook', 'verify', '--scheme', 'github', '--secret', SIGN_SECRET, '--payload', `{"echo":"${SIGN_SECRET}"}`, '--signature', signed.out.trim()]);
    await cli(['webhook', 'verify', '--scheme', 'github', '--secret', SIGN_SECRET, '--payload', '{}', '--signature', 'sha256=00']);
    await cli(['webhook', 'sign', '--scheme', 'stripe', '--secret', SIGN_SECRET]);

    const controller = new AbortController();
    const listening = { out: '', err: '' };
    const stopped = main(['webhook', 'listen', 'hooks'], { stdout: (text) => void (listening.out += text), stderr: (text) => void (listening.err += text), cwd: workspace.root, env: PROCESS_ENV, signal: controller.signal });
    await until(() => listening.err.includes('listening on'), 'the receiver');
    const url = /listening on (\S+)\/\{/.exec(listening.err)![1];
    const body = JSON.stringify({ leaked: DOT_ENV.HOOK_SECRET, token: PROCESS_ENV.API_TOKEN });
    assert.equal(await postJson(`${url}/github_push`, body, SIGNATURE_SCHEMES.github.sign(body, DOT_ENV.HOOK_SECRET)), 200);
    assert.equal(await postJson(`${url}/github_push`, body, SIGNATURE_SCHEMES.github.sign(body, 'wrong')), 401);
    await until(() => listening.out.includes('\n') && listening.err.includes('rejected'), 'the event lines');
    controller.abort();
    assert.equal(await stopped, 0);
    outputs.push({ label: 'webhook listen', text: listening.out + listening.err });

    assert.deepEqual(leaks(outputs, secretValues), []);
  });

  it("the language server's hovers, completions, diagnostics, code actions, symbols and logs", async () => {
    const server = await startTestServer({ folders: [workspace.root], processEnv: PROCESS_ENV });
    const answers: unknown[] = [];
    try {
      const uri = workspace.uri('.simone/integrations/all.yaml');
      // A literal secret too, so the secret-literal warning and its quick fix are among the answers.
      const text = integrationsYaml(api.url, postgres).replace('client_id: simone', `client_id: simone, scope: "${DOT_ENV.CLIENT_SECRET}"`).replace('"${JWT_SECRET}"', `"${DOT_ENV.JWT_SECRET}"`);
      await server.open(uri, text);
      const diagnostics = await server.waitForDiagnostics(uri);
      answers.push(diagnostics);
      const lines = text.split('\n');
      for (const [line, content] of lines.entries()) {
        for (let at = content.indexOf('${'); at >= 0; at = content.indexOf('${', at + 1)) {
          answers.push(await server.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line, character: at + 3 } }));
          answers.push(await server.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line, character: at + 2 } }));
        }
        answers.push(await server.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line, character: content.length - 2 } }));
      }
      const range = { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } };
      answers.push(await server.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics } }));
      answers.push(await server.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } }));
      answers.push(await server.request('textDocument/documentLink', { textDocument: { uri } }));
      answers.push(server.logs);
      assert.ok(diagnostics.some((diagnostic: Diagnostic) => diagnostic.code === 'secret-literal'), JSON.stringify(diagnostics));
    } finally {
      await server.shutdown();
    }
    // A quick fix may write a literal secret into the user's own .env: that edit is the user's, not output.
    const shown = JSON.stringify(answers, (key, value) => (key === 'newText' ? undefined : value));
    assert.ok(shown.includes('characters)'), 'hovers on variables answered');
    assert.deepEqual(leaks([{ label: 'LSP', text: shown }], secretValues), []);
  });

  it('spans in the in-memory store (what the editor shows) hold no value', async () => {
    const loaded = Workspace.load({ workspace: workspace.root, processEnv: PROCESS_ENV });
    const telemetry = setupTelemetry({ exporter: 'memory', env: {}, secrets: new Redactor(loaded.secrets()) });
    try {
      const crm = loaded.integration('crm') as RequestResponseIntegration;
      for (const endpoint of ['notes', 'orders']) await runEndpoint(crm, endpoint, { registry: new ResilienceRegistry() });
      await runEndpoint(loaded.integration('legacy') as RequestResponseIntegration, 'ping', { registry: new ResilienceRegistry() });
      await telemetry.flush();
      const spans = JSON.stringify(telemetry.spans.spans());
      assert.ok(spans.includes('url.full'), spans);
      assert.deepEqual(leaks([{ label: 'spans', text: spans }], secretValues), []);
    } finally {
      await telemetry.dispose();
    }
  });
});
