import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createAuthProvider } from '../../src/runners/auth/authProviders';
import { Authorizers } from '../../src/runners/auth/authorizers';
import { OAuth2ClientCredentials } from '../../src/runners/auth/oauth2ClientCredentials';
import { TokenRequestError } from '../../src/runners/auth/tokenRequestError';
import { ClassifiedError } from '../../src/runners/errors';
import { closeSharedAgent } from '../../src/runners/http/sharedAgent';
import { integrationFromYaml } from '../support/integrationFromYaml';

const CLIENT_ID = 'simone client';
const CLIENT_SECRET = 'c1ient:secret&more';

/** A real token endpoint that counts what it is asked and answers as told. */
class TokenServer {
  requests: Array<{ authorization?: string; form: URLSearchParams }> = [];
  expiresIn: number | undefined = 3600;
  failWith?: { status: number; body: unknown };
  delayMs = 30;
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer(async (request: IncomingMessage, response) => {
      let text = '';
      for await (const chunk of request) text += chunk;
      this.requests.push({ authorization: request.headers.authorization, form: new URLSearchParams(text) });
      const n = this.requests.length;
      // Slow enough that concurrent callers overlap with the request in flight.
      await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      const { status, body } = this.failWith ?? { status: 200, body: { access_token: `tok-${n}`, token_type: 'Bearer', ...(this.expiresIn === undefined ? {} : { expires_in: this.expiresIn }) } };
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/oauth/token`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe('OAuth 2.0 client credentials against a real token server', () => {
  const server = new TokenServer();
  let clock = 1_700_000_000_000;
  const provider = () => new OAuth2ClientCredentials({ tokenUrl: server.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scope: 'read write' }, { refreshMarginMs: 60_000, now: () => clock });
  const authorizeMany = (auth: OAuth2ClientCredentials, count: number) =>
    Promise.all(Array.from({ length: count }, async () => {
      const headers: Record<string, string> = {};
      await auth.authorize(headers);
      return headers;
    }));

  before(() => server.start());
  after(async () => {
    await server.stop();
    await closeSharedAgent();
  });
  beforeEach(() => {
    server.requests = [];
    server.expiresIn = 3600;
    server.failWith = undefined;
    server.delayMs = 30;
  });

  it('50 concurrent callers cause exactly one token request, all get that token', async () => {
    const headers = await authorizeMany(provider(), 50);
    assert.equal(server.requests.length, 1);
    assert.deepEqual(new Set(headers.map((h) => h.authorization)), new Set(['Bearer tok-1']));
  });

  it('asks as RFC 6749 says: Basic client authentication with form-encoded id and secret, grant_type and scope', async () => {
    await authorizeMany(provider(), 1);
    const [{ authorization, form }] = server.requests;
    const [id, secret] = Buffer.from(authorization!.replace(/^Basic /, ''), 'base64').toString().split(':');
    assert.deepEqual([decodeURIComponent(id.replaceAll('+', ' ')), decodeURIComponent(secret.replaceAll('+', ' '))], [CLIENT_ID, CLIENT_SECRET]);
    assert.equal(secret, 'c1ient%3Asecret%26more');
    assert.deepEqual(Object.fromEntries(form), { grant_type: 'client_credentials', scope: 'read write' });
  });

  it('keeps the token until expires_in minus the margin, then refreshes once', async () => {
    const auth = provider();
    const start = clock;
    await authorizeMany(auth, 5);
    clock = start + 3600_000 - 60_001;
    assert.deepEqual((await authorizeMany(auth, 5)).map((h) => h.authorization), Array(5).fill('Bearer tok-1'));
    assert.equal(server.requests.length, 1);
    clock = start + 3600_000 - 60_000;
    assert.deepEqual(new Set((await authorizeMany(auth, 20)).map((h) => h.authorization)), new Set(['Bearer tok-2']));
    assert.equal(server.requests.length, 2);
  });

  it('invalidate after a 401 refreshes once, however many callers saw the 401', async () => {
    const auth = provider();
    const first = await authorizeMany(auth, 50);
    for (const headers of first) auth.invalidate(headers);
    const second = await authorizeMany(auth, 50);
    assert.equal(server.requests.length, 2);
    assert.deepEqual(new Set(second.map((h) => h.authorization)), new Set(['Bearer tok-2']));
    // A late 401 for the old token leaves the new one alone.
    auth.invalidate(first[0]);
    await authorizeMany(auth, 3);
    assert.equal(server.requests.length, 2);
    // invalidate() without headers drops whatever is cached.
    auth.invalidate();
    await authorizeMany(auth, 3);
    assert.equal(server.requests.length, 3);
  });

  it('a token without expires_in is kept until invalidated', async () => {
    server.expiresIn = undefined;
    const auth = provider();
    await authorizeMany(auth, 3);
    clock += 30 * 86_400_000;
    await authorizeMany(auth, 3);
    assert.equal(server.requests.length, 1);
  });

  it('a refused token request is a typed auth error that names the OAuth error but no secret; the next call tries again', async () => {
    server.failWith = { status: 401, body: { error: 'invalid_client', error_description: `client secret ${CLIENT_SECRET} is wrong` } };
    const auth = provider();
    const failures = await Promise.allSettled(Array.from({ length: 10 }, () => auth.authorize({})));
    assert.equal(server.requests.length, 1);
    const error = (failures[0] as PromiseRejectedResult).reason as TokenRequestError;
    assert.ok(error instanceof TokenRequestError);
    assert.deepEqual([error.kind, error.status, error.oauthError], ['auth', 401, 'invalid_client']);
    assert.equal(error.message, `token request to ${server.url} answered 401 (invalid_client: client secret *** is wrong)`);
    server.failWith = undefined;
    await auth.authorize({});
    assert.equal(server.requests.length, 2);
  });

  it('a token endpoint that is down is a transient error without the credentials', async () => {
    const auth = new OAuth2ClientCredentials({ tokenUrl: 'http://user:pw-in-url@127.0.0.1:1/token', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    await assert.rejects(auth.authorize({}), (error: TokenRequestError) => {
      assert.equal(error.kind, 'transient');
      assert.equal(error.message, 'token request to http://127.0.0.1:1/token failed: connection refused');
      return true;
    });
  });

  it("a token request is bounded by the integration's timeout (the shared authorizers)", async () => {
    server.delayMs = 3_000;
    const integration = integrationFromYaml(
      'request_response',
      `integration:\n  type: request_response\n  name: crm\n  timeout: 200ms\n  auth: { type: oauth2_client_credentials, token_url: "${server.url}", client_id: id, client_secret: secret-value }\n  endpoints: { a: http://127.0.0.1:1/a }\n`,
    );
    const authorizers = new Authorizers();
    const started = performance.now();
    await assert.rejects(authorizers.get(integration)!.authorize({}), (error: TokenRequestError) => {
      assert.match(error.message, /time/i);
      assert.doesNotMatch(error.message, /secret-value/);
      return true;
    });
    // Far below the 10 s that bounded it before and the 3 s the server takes.
    assert.ok(performance.now() - started < 2_500, `${Math.round(performance.now() - started)} ms`);
    await authorizers.dispose();
  });

  it('one caller giving up does not cancel the request the others wait for', async () => {
    const auth = provider();
    const controller = new AbortController();
    const impatient = auth.authorize({}, controller.signal);
    const patient = authorizeMany(auth, 3);
    controller.abort();
    await assert.rejects(impatient);
    assert.deepEqual((await patient).map((h) => h.authorization), Array(3).fill('Bearer tok-1'));
    assert.equal(server.requests.length, 1);
  });

  it('createAuthProvider builds it from the model and refuses empty settings without their values', async () => {
    const auth = createAuthProvider({ type: 'oauth2_client_credentials', tokenUrl: server.url, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    const headers: Record<string, string> = {};
    await auth.authorize(headers);
    assert.equal(headers.authorization, 'Bearer tok-1');
    assert.throws(() => createAuthProvider({ type: 'oauth2_client_credentials', tokenUrl: server.url, clientId: CLIENT_ID, clientSecret: '' }), (error: ClassifiedError) => {
      assert.deepEqual([error.kind, error.message], ['config', 'oauth2_client_credentials auth has no client_secret (is its variable set?)']);
      return true;
    });
  });
});
