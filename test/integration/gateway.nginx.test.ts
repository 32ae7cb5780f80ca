import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { main } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/usage';
import { startGatewayBackend, type GatewayBackend } from '../support/gatewayBackend';
import { nginxBinary, startNginxGateway, type NginxGateway, type NginxRoute } from '../support/nginxGateway';
import { selfSignedCertificate, type SelfSignedCertificate } from '../support/selfSignedCertificate';

const SECRET = 'gateway-jwt-secret-7f3a';
const REPO = join(import.meta.dirname, '..', '..');
const ROUTES = [
  { path: '/simone/milestones', service: 'milestone_service', methods: ['GET', 'POST'] },
  { path: '/simone/tasks', service: 'task_service', methods: ['GET', 'PUT', 'DELETE'] },
  { path: '/simone/notifications', service: 'notification_service', methods: ['POST'] },
];

interface GatewayYaml {
  port: number;
  /** The lines under `authentication:`; default jwt with ${GATEWAY_JWT_SECRET}. */
  authentication?: string[];
  ssl?: boolean;
  rateLimit?: { requestsPerMinute: number; burstSize: number };
  routes?: typeof ROUTES;
}

interface JsonRoute {
  path: string;
  method: string;
  ok: boolean;
  status: number | null;
  error: { kind: string; message: string } | null;
}

describe('gateway route tests and health through real nginx', { skip: nginxBinary() ? false : 'nginx is not installed (scripts/test-prerequisites.mjs installs it)' }, () => {
  const backends = new Map<string, GatewayBackend>();
  const gateways: NginxGateway[] = [];
  const folders: string[] = [];
  let certificate: SelfSignedCertificate;

  before(async () => {
    for (const route of ROUTES) backends.set(route.service, await startGatewayBackend(route.service, { type: 'jwt', secret: SECRET, issuer: 'simone-integrations', subjects: ['simone-integrations'] }));
    certificate = selfSignedCertificate(30);
  });
  after(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await Promise.all([...backends.values()].map((backend) => backend.close()));
    certificate?.remove();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  const upstream = (service: string) => backends.get(service)!.upstream;
  const nginxRoutes = (routes: typeof ROUTES): NginxRoute[] => routes.map((route) => ({ path: route.path, methods: route.methods, upstream: upstream(route.service) }));

  async function gateway(options: Omit<Parameters<typeof startNginxGateway>[0], 'routes'> & { routes?: NginxRoute[] } = {}): Promise<NginxGateway> {
    const started = await startNginxGateway({ routes: nginxRoutes(ROUTES), ...options });
    gateways.push(started);
    return started;
  }

  /** A workspace with the three services and a gateway document pointing at `yaml.port`. */
  function workspace(yaml: GatewayYaml, secret = SECRET): string {
    const folder = mkdtempSync(join(tmpdir(), 'simone-gateway-'));
    folders.push(folder);
    mkdirSync(join(folder, '.simone', 'integrations'), { recursive: true });
    writeFileSync(join(folder, '.env'), `GATEWAY_JWT_SECRET=${secret}\n`);
    const routes = (yaml.routes ?? ROUTES).flatMap((route) => [`    - path: ${route.path}`, `      service: ${route.service}`, `      methods: [${route.methods.join(', ')}]`]);
    const limit = yaml.rateLimit ? ['  rate_limiting:', `    requests_per_minute: ${yaml.rateLimit.requestsPerMinute}`, `    burst_size: ${yaml.rateLimit.burstSize}`] : [];
    writeFileSync(
      join(folder, '.simone', 'integrations', 'architecture.yaml'),
      [
        'microservices:',
        '  services:',
        ...ROUTES.map((route) => `    - { name: ${route.service}, url: "${upstream(route.service)}" }`),
        '---',
        'api_gateway:',
        '  host: 127.0.0.1',
        `  port: ${yaml.port}`,
        `  ssl: ${yaml.ssl ?? false}`,
        '  authentication:',
        ...(yaml.authentication ?? ['type: jwt', 'secret: ${GATEWAY_JWT_SECRET}']).map((line) => `    ${line}`),
        '  routes:',
        ...routes,
        ...limit,
        '',
      ].join('\n'),
    );
    return folder;
  }

  async function cli(folder: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const io: CliIO = { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), cwd: folder, env: {}, signal: new AbortController().signal };
    const code = await main(args, io);
    return { code, stdout, stderr };
  }

  async function testJson(folder: string, ...flags: string[]) {
    const run = await cli(folder, 'test', 'api_gateway', '--format', 'json', ...flags);
    assert.equal(run.stderr, '');
    return { code: run.code, result: JSON.parse(run.stdout) as { ok: boolean; routes: JsonRoute[]; rateLimit: null | { ok: boolean; detail: string; sent: number; passed: number; throttled: number; failed: number } }, stdout: run.stdout };
  }

  async function gatewayHealth(folder: string): Promise<{ state: string; detail: string }> {
    const run = await cli(folder, 'health', '--format', 'json');
    const entry = (JSON.parse(run.stdout) as { integrations: Array<{ name: string; state: string; detail: string }> }).integrations.find((candidate) => candidate.name === 'api_gateway');
    assert.ok(entry, run.stdout);
    return entry;
  }

  it('each route and listed method of a three-route gateway passes, with a short-lived JWT the services verify', async () => {
    const nginx = await gateway({ rateLimit: { requestsPerMinute: 600, burstSize: 20 } });
    const folder = workspace({ port: nginx.port, rateLimit: { requestsPerMinute: 600, burstSize: 20 } });
    const before = new Map([...backends].map(([name, backend]) => [name, backend.requests.length]));
    const { code, result, stdout } = await testJson(folder);
    assert.equal(code, 0, stdout);
    assert.equal(result.ok, true);
    assert.deepEqual(
      result.routes.map((route) => [route.method, route.path, route.ok, route.status]),
      ROUTES.flatMap((route) => route.methods.map((method) => [method, route.path, true, 200])),
    );
    for (const route of ROUTES) {
      const received = backends.get(route.service)!.requests.slice(before.get(route.service));
      assert.deepEqual(received.map((request) => request.method).sort(), [...route.methods].sort(), route.service);
      for (const request of received) {
        assert.equal(request.claims?.iss, 'simone-integrations');
        assert.equal(request.claims?.sub, 'simone-integrations');
        const lifetime = Number(request.claims?.exp) - Number(request.claims?.iat);
        assert.ok(lifetime > 0 && lifetime <= 300, `token lives ${lifetime} s`);
      }
    }
    const typo = await cli(folder, 'test', 'api_gatway');
    assert.deepEqual([typo.code, typo.stderr], [2, 'simone-integrations: no integration or gateway named "api_gatway". Did you mean "api_gateway"?\n']);
    const text = await cli(folder, 'test', 'api_gateway');
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^api_gateway {2}http:\/\/127\.0\.0\.1:\d+ {2}6 route requests$/m);
    assert.match(text.stdout, /^ {2}DELETE {2}\/simone\/tasks +ok 200 in [\d.]+ ms {2}-> task_service$/m);
    assert.match(text.stdout, /^ok: 6 of 6 passed in [\d.]+ ms$/m);
    assert.ok(!text.stdout.includes(SECRET));

    const health = await gatewayHealth(folder);
    assert.equal(health.state, 'healthy', health.detail);
    assert.match(health.detail, /^GET http:\/\/127\.0\.0\.1:\d+\/simone\/milestones answered 200$/);
  });

  it('a route the gateway no longer has fails as missing (404), a method it refuses as refused (405, with Allow)', async () => {
    const deployed = [ROUTES[0], { ...ROUTES[1], methods: ['GET'] }];
    const nginx = await gateway({ routes: nginxRoutes(deployed) });
    const { code, result } = await testJson(workspace({ port: nginx.port }));
    assert.equal(code, 1);
    assert.equal(result.ok, false);
    const byRequest = new Map(result.routes.map((route) => [`${route.method} ${route.path}`, route]));
    assert.equal(byRequest.get('GET /simone/milestones')?.ok, true);
    assert.equal(byRequest.get('GET /simone/tasks')?.ok, true);
    const missing = byRequest.get('POST /simone/notifications')!;
    assert.deepEqual([missing.ok, missing.status, missing.error?.kind], [false, 404, 'remote-4xx']);
    assert.equal(missing.error?.message, 'route missing: the gateway has no /simone/notifications (404 Not Found)');
    for (const method of ['PUT', 'DELETE']) {
      const refused = byRequest.get(`${method} /simone/tasks`)!;
      assert.deepEqual([refused.ok, refused.status], [false, 405]);
      assert.equal(refused.error?.message, `the gateway refuses ${method} on /simone/tasks (405 Method Not Allowed; allows GET)`);
    }
  });

  it('a wrong JWT secret fails every route as a refused credential (401), and health says so', async () => {
    const nginx = await gateway();
    const folder = workspace({ port: nginx.port }, 'not-the-gateway-secret');
    const { code, result } = await testJson(folder);
    assert.equal(code, 1);
    assert.equal(result.routes.length, 6);
    for (const route of result.routes) {
      assert.deepEqual([route.ok, route.status, route.error?.kind], [false, 401, 'auth'], `${route.method} ${route.path}`);
      assert.equal(route.error?.message, `the gateway refused the credential on ${route.path} (401 Unauthorized)`);
    }
    const health = await gatewayHealth(folder);
    assert.equal(health.state, 'unhealthy');
    assert.match(health.detail, /refused the credential on \/simone\/milestones \(401 Unauthorized\)/);
    assert.ok(!health.detail.includes('not-the-gateway-secret'));
  });

  it('--rate-limit sends burst_size + 1 at once and sees the 429 at the configured burst; a gateway without the limit fails it', async () => {
    const limits = { requestsPerMinute: 60, burstSize: 4 };
    const limited = await gateway({ routes: nginxRoutes([ROUTES[0]]), rateLimit: limits });
    const { code, result, stdout } = await testJson(workspace({ port: limited.port, routes: [ROUTES[0]], rateLimit: limits }), '--rate-limit');
    assert.equal(code, 0, stdout);
    assert.deepEqual(result.rateLimit && [result.rateLimit.ok, result.rateLimit.sent, result.rateLimit.passed, result.rateLimit.throttled, result.rateLimit.failed], [true, 5, 4, 1, 0]);
    assert.equal(result.rateLimit?.detail, 'throttled as configured: 4 of 5 passed, 1 answered 429 (burst_size 4)');
    assert.match(limited.errorLog(), /limiting requests/);

    const unlimited = await gateway({ routes: nginxRoutes([ROUTES[0]]) });
    const loose = await testJson(workspace({ port: unlimited.port, routes: [ROUTES[0]], rateLimit: limits }), '--rate-limit');
    assert.equal(loose.code, 1);
    assert.equal(loose.result.routes[0].ok, true);
    assert.deepEqual(loose.result.rateLimit && [loose.result.rateLimit.ok, loose.result.rateLimit.passed, loose.result.rateLimit.throttled], [false, 5, 0]);
    assert.match(loose.result.rateLimit!.detail, /^not throttled: all 5 passed/);

    const plain = await testJson(workspace({ port: unlimited.port, routes: [ROUTES[0]], rateLimit: limits }));
    assert.equal(plain.result.rateLimit, null, 'no burst unless asked');
  });

  it('api_key and oauth2 client credentials reach the services through the gateway, a wrong key is refused', async () => {
    const keyed = await startGatewayBackend('milestone_service', { type: 'api_key', header: 'X-Gateway-Key', key: 'gw-key-31' });
    const tokens: string[] = [];
    const tokenServer = createServer((request, response) => {
      const basic = Buffer.from('simone:oauth-client-secret-9').toString('base64');
      request.resume();
      if (request.headers.authorization !== `Basic ${basic}`) return response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
      tokens.push('tok-' + (tokens.length + 1));
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: tokens.at(-1), token_type: 'bearer', expires_in: 300 }));
    });
    await new Promise<void>((resolve) => tokenServer.listen(0, '127.0.0.1', resolve));
    const bearer = await startGatewayBackend('milestone_service', { type: 'api_key', header: 'authorization', key: 'Bearer tok-1' });
    try {
      const route = [ROUTES[0]];
      const keyGateway = await gateway({ routes: [{ path: ROUTES[0].path, methods: ROUTES[0].methods, upstream: keyed.upstream }] });
      const withKey = (key: string) => workspace({ port: keyGateway.port, routes: route, authentication: ['type: api_key', `secret: ${key}`, 'header: X-Gateway-Key'] });
      const good = await testJson(withKey('gw-key-31'));
      assert.deepEqual(good.result.routes.map((entry) => [entry.method, entry.ok, entry.status]), [['GET', true, 200], ['POST', true, 200]]);
      const bad = await testJson(withKey('not-the-key'));
      assert.deepEqual(bad.result.routes.map((entry) => [entry.ok, entry.status, entry.error?.kind]), [[false, 401, 'auth'], [false, 401, 'auth']]);

      const oauthGateway = await gateway({ routes: [{ path: ROUTES[0].path, methods: ROUTES[0].methods, upstream: bearer.upstream }] });
      const tokenUrl = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/token`;
      const oauth = await testJson(workspace({ port: oauthGateway.port, routes: route, authentication: ['type: oauth2', `token_url: ${tokenUrl}`, 'client_id: simone', 'secret: oauth-client-secret-9'] }));
      assert.equal(oauth.code, 0, oauth.stdout);
      assert.deepEqual(tokens, ['tok-1'], 'one token for both requests');
      assert.ok(!oauth.stdout.includes('oauth-client-secret-9'));
    } finally {
      await Promise.all([keyed.close(), bearer.close(), new Promise((resolve) => tokenServer.close(resolve))]);
    }
  });

  it('a gateway that drops every connection: each route and health give a clear result, nothing throws', async () => {
    const nginx = await gateway({ dropConnections: true });
    const folder = workspace({ port: nginx.port });
    const { code, result } = await testJson(folder);
    assert.equal(code, 1);
    for (const route of result.routes) {
      assert.equal(route.ok, false);
      assert.equal(route.status, null);
      assert.equal(route.error?.kind, 'transient');
      assert.match(route.error!.message, /closed the connection|connection reset/);
    }
    const health = await gatewayHealth(folder);
    assert.equal(health.state, 'unhealthy');
    assert.match(health.detail, /\/simone\/milestones (the server closed the connection|connection reset by the server)/);
  });

  describe('over https', () => {
    const expiry = () => new X509Certificate(certificate.certificate).validTo;
    /** The CLI as a user runs it against a private CA: its own process, trusting the certificate through NODE_EXTRA_CA_CERTS. */
    const cliChild = (folder: string, trusted: SelfSignedCertificate, ...args: string[]) =>
      new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          ['--import', 'tsx', join(REPO, 'src/cli/main.ts'), ...args, '--workspace', folder],
          { cwd: REPO, env: { ...process.env, NODE_EXTRA_CA_CERTS: trusted.certificatePath }, timeout: 60_000 },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      });
    const childHealth = async (folder: string, trusted: SelfSignedCertificate) => {
      const run = await cliChild(folder, trusted, 'health', '--format', 'json');
      const entry = (JSON.parse(run.stdout || '{}') as { integrations?: Array<{ name: string; state: string; detail: string }> }).integrations?.find((candidate) => candidate.name === 'api_gateway');
      assert.ok(entry, run.stdout + run.stderr);
      return entry;
    };

    it('health does the TLS handshake and names the certificate expiry; a trusted certificate passes, the routes and the burst pass over https', async () => {
      const limits = { requestsPerMinute: 600, burstSize: 5 };
      const nginx = await gateway({ tls: certificate, rateLimit: limits });
      const folder = workspace({ port: nginx.port, ssl: true, rateLimit: limits });
      const validTo = new Date(expiry());
      const days = Math.floor((validTo.getTime() - Date.now()) / 86_400_000);
      const entry = await childHealth(folder, certificate);
      assert.equal(entry.state, 'healthy', entry.detail);
      assert.equal(entry.detail, `tls, route /simone/milestones answer; certificate expires ${validTo.toISOString().slice(0, 10)} (in ${days} days)`);

      const routes = await cliChild(folder, certificate, 'test', 'api_gateway', '--rate-limit', '--format', 'json');
      assert.equal(routes.code, 0, routes.stdout);
      const result = JSON.parse(routes.stdout) as { routes: JsonRoute[]; url: string; rateLimit: { ok: boolean; passed: number; throttled: number } };
      assert.equal(result.url, `https://127.0.0.1:${nginx.port}`);
      assert.ok(result.routes.every((route) => route.ok && route.status === 200));
      assert.deepEqual([result.rateLimit.ok, result.rateLimit.passed, result.rateLimit.throttled], [true, 5, 1]);
    });

    it('an untrusted (self-signed) certificate makes the gateway unhealthy, the expiry still named', async () => {
      const nginx = await gateway({ tls: certificate });
      const health = await gatewayHealth(workspace({ port: nginx.port, ssl: true }));
      assert.equal(health.state, 'unhealthy');
      assert.match(health.detail, /tls: tls 127\.0\.0\.1:\d+ handshake done, but self-signed certificate \(trust it with NODE_EXTRA_CA_CERTS\)/);
      assert.match(health.detail, /certificate expires \d{4}-\d{2}-\d{2} \(in \d+ days\)$/);
    });

    it('a certificate about to expire makes a trusted gateway degraded', async () => {
      const soon = selfSignedCertificate(5);
      try {
        const nginx = await gateway({ tls: soon });
        const entry = await childHealth(workspace({ port: nginx.port, ssl: true }), soon);
        assert.equal(entry.state, 'degraded', entry.detail);
        assert.match(entry.detail, /certificate expires \d{4}-\d{2}-\d{2} \(in 4 days\)$/);
      } finally {
        soon.remove();
      }
    });
  });
});
