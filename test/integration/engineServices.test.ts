import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { AuthSettings } from '../../src/core/model';
import { EngineServices } from '../../src/runners/engineServices';
import { publishEvent } from '../../src/runners/events/publishEvent';
import { runHealthRound } from '../../src/runners/health/healthRound';
import { healthTargets } from '../../src/runners/health/healthTarget';
import { runEndpoint } from '../../src/runners/http/runEndpoint';
import { FlakyServer } from '../support/flakyServer';
import { httpIntegration } from '../support/httpIntegration';
import { integrationFromYaml } from '../support/integrationFromYaml';

describe('EngineServices: shared caches and one dispose', () => {
  let api: FlakyServer;
  let tokenServer: Server;
  let tokenUrl = '';
  let tokenRequests = 0;

  before(async () => {
    api = await FlakyServer.start();
    tokenServer = createServer((request, response) => {
      tokenRequests++;
      request.resume();
      request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: `token-${tokenRequests}`, token_type: 'Bearer', expires_in: 3600 })));
    });
    await new Promise<void>((resolve) => tokenServer.listen(0, '127.0.0.1', resolve));
    tokenUrl = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/token`;
  });
  after(async () => {
    await api.close();
    await new Promise((resolve) => tokenServer.close(resolve));
  });

  it('one OAuth token for endpoint tests, health checks and event publishing of an integration', async () => {
    const services = new EngineServices();
    const auth: AuthSettings = { type: 'oauth2_client_credentials', tokenUrl, clientId: 'simone', clientSecret: 'shared-client-secret' };
    const crm = httpIntegration(api.url, { name: 'crm', auth, healthCheck: { path: '/health', intervalMs: 30_000, timeoutMs: 1000, expectStatus: [[200, 299]] } });
    const events = { ...integrationFromYaml('event_driven', `integration:\n  type: event_driven\n  name: crm_events\n  publishers:\n    - { name: hook, events: [task_completed], destination: "${api.url}/events" }\n`), auth };
    try {
      api.respond({ status: 200 });
      assert.equal((await runEndpoint(crm, 'ping', { registry: services.resilience, auth: services.authorizers.get(crm) })).ok, true);
      const [health] = await runHealthRound(healthTargets({ integrations: [crm] }, services.healthProbeContext({ integrations: [crm], projectFolder: () => process.cwd() })));
      assert.equal(health.result.state, 'healthy', health.result.detail);
      assert.equal(tokenRequests, 1, 'the health check reused the token the test fetched');
      for (let i = 0; i < 2; i++) {
        const published = await publishEvent(events, 'task_completed', {}, { workspace: 'w', integrations: [events], queues: services.queues, registry: services.resilience, auth: services.authorizers.get(events) });
        assert.equal(published.ok, true);
      }
      assert.equal(tokenRequests, 2, 'one more token, for the event integration, kept across publishes');
      assert.ok(api.requests.every((request) => /^Bearer token-[12]$/.test(String(request.headers.authorization))));
      assert.deepEqual(services.resilience.breakerStates().map((entry) => entry.integration).sort(), ['crm', 'crm_events']);
    } finally {
      await services.dispose();
    }
    assert.deepEqual(services.resilience.breakerStates(), [], 'dispose let go of every breaker');
  });

  it('a changed auth setting replaces the authorizer; unchanged settings keep it', () => {
    const services = new EngineServices();
    const bearer = httpIntegration(api.url, { auth: { type: 'bearer', token: 'first-token' } });
    const first = services.authorizers.get(bearer);
    assert.equal(services.authorizers.get({ ...bearer, endpoints: [] }), first, 'a rebuilt model with the same auth');
    assert.notEqual(services.authorizers.get({ ...bearer, auth: { type: 'bearer', token: 'second-token' } }), first);
    assert.equal(services.authorizers.get(httpIntegration(api.url)), undefined, 'no auth, no authorizer');
    return services.dispose();
  });
});
