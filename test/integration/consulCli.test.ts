/**
 * `health` and `test <service>` on a workspace whose services are found through Consul (the API double, its
 * ACL token from `.env` as `${CONSUL_HTTP_TOKEN}`), against real HTTP instances on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/usage';
import { closeSharedAgent } from '../../src/runners/http/sharedAgent';
import { ConsulDouble } from '../support/consulDouble';

const TOKEN = 'consul-cli-token-5e8d2c';

describe('the command line on consul-discovered services', { timeout: 60_000 }, () => {
  let consul: ConsulDouble;
  let workspace: string;
  const servers: Server[] = [];
  const hits = new Map<number, number>();
  let ports: number[] = [];

  before(async () => {
    for (let index = 0; index < 3; index++) {
      const server = createServer((request, response) => {
        const port = (server.address() as AddressInfo).port;
        hits.set(port, (hits.get(port) ?? 0) + 1);
        // The third instance fails every call: a retry must go elsewhere.
        response.writeHead(index === 2 && request.url !== '/health' ? 500 : 200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ port }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
    }
    ports = servers.map((server) => (server.address() as AddressInfo).port);
    consul = await ConsulDouble.start({ token: TOKEN });
    consul.setService('orders', ports.map((port, index) => ({ id: `orders-${index + 1}`, node: `node-${index + 1}`, address: '127.0.0.1', port })));
    workspace = mkdtempSync(join(tmpdir(), 'simone-consul-cli-'));
    mkdirSync(join(workspace, '.simone', 'integrations'), { recursive: true });
    writeFileSync(join(workspace, '.env'), `CONSUL_HTTP_TOKEN=${TOKEN}\n`);
    writeFileSync(
      join(workspace, '.simone', 'integrations', 'services.yaml'),
      ['microservices:', '  discovery:', '    type: consul', `    host: 127.0.0.1`, `    port: ${consul.port}`, '    token: ${CONSUL_HTTP_TOKEN}', '  services:', '    - name: orders', '      health_check: /health', '      load_balancer: round_robin', '    - name: ghost', '  communication:', '    timeout: 2s', '    retries: 1', '---', 'microservices:', '  services:', '    - name: fixed', `      url: http://127.0.0.1:${ports[0]}/api`, ''].join('\n'),
    );
  });
  after(async () => {
    await consul?.stop();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    await closeSharedAgent();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const io: CliIO = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), cwd: workspace, env: {}, signal: new AbortController().signal };
    const code = await main([...args, '--workspace', workspace], io);
    return { code, stdout, stderr };
  }

  it('validate: a consul service needs no url', async () => {
    const { code, stdout } = await cli('validate');
    assert.equal(code, 0, stdout);
    assert.match(stdout, /0 errors, 0 warnings|no problems/);
  });

  it('health: every instance probed, a service Consul does not list is unhealthy, the token never shown', async () => {
    const { code, stdout } = await cli('health', '--format', 'json');
    assert.equal(code, 1, 'ghost is unhealthy');
    const entries = JSON.parse(stdout).integrations as Array<{ name: string; state: string; detail: string; instances?: Array<{ id: string; port: number; consul: string; probe: string; ok: boolean }> }>;
    assert.deepEqual(entries[0].instances, ports.map((port, index) => ({ id: `node-${index + 1}/orders-${index + 1}`, address: '127.0.0.1', port, consul: 'passing', probe: 'answered 200', ok: true })));
    assert.equal(entries[2].instances, undefined, 'a static service has no instances key');
    assert.deepEqual(entries.map((entry) => [entry.name, entry.state]), [['orders', 'healthy'], ['ghost', 'unhealthy'], ['fixed', 'healthy']]);
    assert.equal(entries[0].detail, '3 instances pass');
    assert.match(entries[1].detail, /has no service ghost\. It has: consul, orders\./);
    assert.ok(!stdout.includes(TOKEN));
  });

  it('test <service> --count: round robin over the instances, each failing call retried on another one', async () => {
    hits.clear();
    const { code, stdout } = await cli('test', 'orders', '--path', '/work', '--count', '6', '--format', 'json');
    assert.equal(code, 0, stdout);
    const document = JSON.parse(stdout) as { ok: boolean; results: Array<{ ok: boolean; attempts: Array<{ instance: string; status: number }> }> };
    assert.equal(document.ok, true);
    for (const result of document.results) {
      assert.equal(result.ok, true);
      const failed = result.attempts.filter((attempt) => attempt.status === 500);
      assert.ok(failed.every((attempt) => attempt.instance === 'node-3/orders-3'));
      assert.equal(result.attempts.length, failed.length + 1, 'a failed attempt is followed by one to another instance');
    }
    assert.ok(ports.every((port) => (hits.get(port) ?? 0) >= 2), JSON.stringify([...hits]));
  });

  it('test <service> in text: the instance of each attempt, and bad --count is a usage error', async () => {
    const { code, stdout } = await cli('test', 'orders', '--path', '/work');
    assert.equal(code, 0);
    assert.match(stdout, /^orders {2}GET \/work {2}ok 200 in [\d.]+ ms \(3 of 3 instances passing\)\n {2}attempt 1 -> node-\d\/orders-\d: 200/);
    const bad = await cli('test', 'orders', '--count', '0');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--count must be a whole number from 1 to 1000/);
  });

  it('test <service> on a static service: its url is its one instance, its base path kept', async () => {
    const { code, stdout } = await cli('test', 'fixed', '--path', '/ping', '--format', 'json');
    assert.equal(code, 0, stdout);
    const document = JSON.parse(stdout);
    assert.deepEqual(document.instances, { passing: 1, listed: 1 });
    assert.equal(document.attempts[0].instance, `127.0.0.1:${ports[0]}`);
    assert.equal(document.path, '/ping');
  });

  it('test <service> with Consul down: a clear failure, exit 1', async () => {
    await consul.down();
    try {
      const { code, stdout } = await cli('test', 'orders');
      assert.equal(code, 1);
      assert.match(stdout, /FAILED \(transient\): Consul at http:\/\/127\.0\.0\.1:\d+ cannot be reached: connection refused/);
    } finally {
      await consul.up();
    }
  });
});
