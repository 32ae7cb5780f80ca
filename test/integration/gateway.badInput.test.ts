import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { ApiGateway } from '../../src/core/model';
import { checkRateLimit, MAX_BURST_REQUESTS } from '../../src/runners/gateway/rateLimitCheck';
import { testGateway } from '../../src/runners/gateway/testGateway';
import { createHealthProbeContext } from '../../src/runners/health/healthProbeContext';
import { healthTargets } from '../../src/runners/health/healthTarget';
import { freePort } from '../support/rabbitmq';

function gatewayAt(port: number, fields: Partial<ApiGateway> = {}): ApiGateway {
  return { host: '127.0.0.1', port, ssl: false, routes: [{ path: '/users', service: 'users', methods: ['GET'] }], secrets: [], source: { uri: 'file:///ws/arch.yaml', documentIndex: 0 }, ...fields };
}

async function health(gateway: ApiGateway) {
  const [target] = healthTargets({ integrations: [], gateways: [gateway] }, createHealthProbeContext({ integrations: [], projectFolder: () => '/ws' }));
  return target.probe(new AbortController().signal);
}

describe('gateway route tests, the burst and health on bad input: a clear result, nothing thrown', () => {
  let closedPort: number;
  /** Answers every request by closing the connection before any byte: a gateway that drops connections at the TCP level. */
  let dropping: Server;

  before(async () => {
    closedPort = await freePort();
    dropping = createServer((request) => request.socket.destroy());
    await new Promise<void>((resolve) => dropping.listen(0, '127.0.0.1', resolve));
  });
  after(() => new Promise((resolve) => dropping.close(resolve)));

  it('nothing listens: each route fails with connection refused, health is unhealthy', async () => {
    const result = await testGateway({ name: 'api_gateway', gateway: gatewayAt(closedPort) });
    assert.equal(result.ok, false);
    assert.deepEqual(result.routes.map((route) => [route.ok, route.error?.kind, route.error?.message, route.attempts.length]), [[false, 'transient', 'connection refused', 2]]);
    const probed = await health(gatewayAt(closedPort));
    assert.equal(probed.state, 'unhealthy');
    assert.match(probed.detail, /^GET http:\/\/127\.0\.0\.1:\d+\/users connection refused$/);
  });

  it('a gateway that resets every connection: the route fails with the reason, and so does the burst', async () => {
    const port = (dropping.address() as AddressInfo).port;
    const gateway = gatewayAt(port, { rateLimiting: { requestsPerMinute: 600, burstSize: 3 } });
    const result = await testGateway({ name: 'api_gateway', gateway }, { rateLimit: true });
    assert.equal(result.routes[0].ok, false);
    assert.match(result.routes[0].error!.message, /closed the connection|connection reset/);
    assert.equal(result.rateLimit?.ok, false);
    assert.deepEqual([result.rateLimit?.sent, result.rateLimit?.failed, result.rateLimit?.passed], [4, 4, 0]);
    assert.match(result.rateLimit!.detail, /^4 of 4 burst requests got no answer: /);
  });

  it('a host that makes no URL is a config error per route and an unhealthy gateway', async () => {
    const gateway = gatewayAt(8080, { host: 'not a host' });
    const result = await testGateway({ name: 'api_gateway', gateway });
    assert.deepEqual([result.ok, result.url, result.routes[0].error?.kind], [false, 'not a host:8080', 'config']);
    assert.match(result.routes[0].error!.message, /^no URL for \/users on not a host:8080: /);
    assert.equal((await health(gateway)).state, 'unhealthy');
  });

  it('the burst refuses what it should not send: no rate_limiting, over the hard cap, no safe route', async () => {
    const named = (fields: Partial<ApiGateway>) => ({ name: 'api_gateway', gateway: gatewayAt(closedPort, fields) });
    const none = await checkRateLimit(named({}));
    assert.deepEqual([none.ok, none.sent, none.error?.kind, none.detail], [false, 0, 'config', 'the gateway has no rate_limiting: there is no limit to check']);
    const huge = await checkRateLimit(named({ rateLimiting: { requestsPerMinute: 100_000, burstSize: MAX_BURST_REQUESTS } }));
    assert.deepEqual([huge.ok, huge.sent, huge.detail], [false, 0, `burst_size ${MAX_BURST_REQUESTS} needs ${MAX_BURST_REQUESTS + 1} requests at once, over the cap of ${MAX_BURST_REQUESTS}: not sent`]);
    const unsafe = await checkRateLimit(named({ rateLimiting: { requestsPerMinute: 60, burstSize: 2 }, routes: [{ path: '/orders', service: 'orders', methods: ['POST', 'DELETE'] }] }));
    assert.deepEqual([unsafe.ok, unsafe.sent, unsafe.detail], [false, 0, 'no route takes GET or HEAD: the rate-limit burst sends only safe methods']);
  });

  it('a cancel while the gateway keeps every request waiting ends the routes and the burst as cancelled', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const gateway = gatewayAt((silent.address() as AddressInfo).port, { rateLimiting: { requestsPerMinute: 6000, burstSize: 2 } });
      const routes = new AbortController();
      setTimeout(() => routes.abort(), 200);
      const result = await testGateway({ name: 'api_gateway', gateway }, { signal: routes.signal });
      assert.deepEqual(result.routes.map((route) => [route.ok, route.error?.kind]), [[false, 'cancelled']]);
      const burst = new AbortController();
      setTimeout(() => burst.abort(), 200);
      const limited = await checkRateLimit({ name: 'api_gateway', gateway }, { signal: burst.signal });
      assert.deepEqual([limited.ok, limited.error?.kind, limited.sent], [false, 'cancelled', 3]);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('routes that take no GET: health checks the connection only and says so', async () => {
    const port = (dropping.address() as AddressInfo).port;
    const probed = await health(gatewayAt(port, { routes: [{ path: '/orders', service: 'orders', methods: ['POST'] }] }));
    assert.equal(probed.state, 'healthy');
    assert.match(probed.detail, /^tcp 127\.0\.0\.1:\d+ accepts connections; no route takes GET: connection checked only$/);
  });
});
