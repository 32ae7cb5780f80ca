/**
 * Secrets never reach a webview: a real endpoint run whose server echoes the bearer token back (in the body and a
 * header) goes through the result panel's host path, and what would be posted to the page holds no trace of it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HostMessage } from '../../src/extension/webviews/protocol';
import { ResultSession } from '../../src/extension/webviews/resultSession';
import { createAuthProvider } from '../../src/runners/auth/authProviders';
import { runEndpoint } from '../../src/runners/http/runEndpoint';
import { FlakyServer } from '../support/flakyServer';
import { httpIntegration } from '../support/httpIntegration';

const SECRET = 'sk_live_51HwebviewTestToken';

describe('secrets and the result panel', () => {
  let server: FlakyServer;
  before(async () => (server = await FlakyServer.start()));
  after(() => server.close());

  it('posts the runner result with the echoed token masked, everywhere', async () => {
    server.respond((request) => ({ status: 200, body: { seen: request.headers.authorization, note: `token ${SECRET} accepted` }, headers: { 'x-echo-auth': String(request.headers.authorization) } }));
    const integration = httpIntegration(server.url, { auth: { type: 'bearer', token: SECRET }, endpoints: [{ name: 'whoami', url: '/whoami' }] });
    const result = await runEndpoint(integration, 'whoami', { auth: createAuthProvider(integration.auth!) });
    assert.equal(server.requests[0].headers.authorization, `Bearer ${SECRET}`, 'the server did get the token (so it could echo it)');

    const posted: HostMessage[] = [];
    const session = new ResultSession({ kind: 'endpoint', title: 'api.whoami', data: result }, (message) => posted.push(message), () => undefined, () => undefined);
    session.receive({ type: 'ready' });
    session.show({ kind: 'endpoint', title: 'api.whoami', data: result });
    const wire = JSON.stringify(posted);

    assert.equal(posted.length, 2);
    assert.equal(posted[0].type === 'show' && posted[0].model.headline.text, '200');
    assert.ok(wire.includes('x-echo-auth') && wire.includes('Bearer ***'), 'the echo reached the panel, masked');
    assert.ok(!wire.includes(SECRET), 'the token is nowhere in what is posted');
  });
});
