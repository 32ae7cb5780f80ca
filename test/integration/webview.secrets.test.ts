/**
 * Secrets never reach a webview: a real endpoint run whose URL path holds a token and whose server echoes the
 * bearer token back (in the body and a header) goes through the result panel's host path as the editor sends it
 * (the runner's JSON converter, its live events); the token is registered with the engine's redactor the way the
 * model builder does (`integration.secrets`), and what is posted to the page holds no form of it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { secretForms } from '../../src/core/redactor';
import type { HostMessage } from '../../src/extension/webviews/protocol';
import { ResultSession } from '../../src/extension/webviews/resultSession';
import { createAuthProvider } from '../../src/runners/auth/authProviders';
import { endpointResultJson } from '../../src/runners/http/endpointResultJson';
import { runEndpoint } from '../../src/runners/http/runEndpoint';
import type { RunEvent } from '../../src/runners/runEvents';
import { FlakyServer } from '../support/flakyServer';
import { httpIntegration } from '../support/httpIntegration';

const SECRET = 'sk_live_51HwebviewTestToken';

describe('secrets and the result panel', () => {
  let server: FlakyServer;
  before(async () => (server = await FlakyServer.start()));
  after(() => server.close());

  it('posts the result and its live events with the token masked, everywhere', async () => {
    server.respond((request, index) =>
      index === 0 ? { status: 503, body: { error: `no key ${SECRET} yet` } } : { status: 200, body: { seen: request.headers.authorization, note: `token ${SECRET} accepted` }, headers: { 'x-echo-auth': String(request.headers.authorization) } },
    );
    const integration = httpIntegration(server.url, { auth: { type: 'bearer', token: SECRET }, secrets: [SECRET], endpoints: [{ name: 'whoami', url: `/keys/${SECRET}/whoami` }] });
    const posted: HostMessage[] = [];
    const session = new ResultSession({ kind: 'endpoint', title: 'api.whoami', data: { integration: 'api', endpoint: 'whoami', ok: false, status: null } }, (message) => posted.push(message), () => undefined, () => undefined);
    session.receive({ type: 'ready' });

    const events: RunEvent[] = [];
    const result = await runEndpoint(integration, 'whoami', { auth: createAuthProvider(integration.auth!), onEvent: (event) => (events.push(event), session.event(event)) });
    session.show({ kind: 'endpoint', title: 'api.whoami', data: endpointResultJson(result) });
    assert.equal(server.requests.at(-1)?.headers.authorization, `Bearer ${SECRET}`, 'the server did get the token (so it could echo it)');
    assert.ok(server.requests.every((request) => request.url?.includes(SECRET)), 'and the path that holds it');

    const wire = JSON.stringify(posted);
    assert.ok(events.length >= 3, 'the live events went through the panel too');
    assert.deepEqual(posted.map((message) => message.type), ['show', ...events.map(() => 'event'), 'show']);
    const shown = posted.at(-1);
    assert.equal(shown?.type === 'show' && shown.model.headline.text, '200');
    assert.ok(wire.includes('x-echo-auth') && wire.includes('Bearer ***') && wire.includes('/keys/***/whoami'), 'the echo and the URL reached the panel, masked');
    for (const form of secretForms(SECRET)) assert.ok(!wire.includes(form), `the token (as ${form}) is nowhere in what is posted`);
  });
});
