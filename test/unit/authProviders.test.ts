import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { integrationSchema } from '../../src/core/schema';
import type { JsonSchema } from '../../src/core/jsonSchema';
import { createAuthProvider } from '../../src/runners/auth/authProviders';
import { JWT_ALGORITHMS } from '../../src/core/defaults';
import { ClassifiedError } from '../../src/runners/errors';

async function headersOf(provider: ReturnType<typeof createAuthProvider>): Promise<Record<string, string>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  await provider.authorize(headers);
  return headers;
}

describe('auth providers', () => {
  it('bearer adds Authorization: Bearer, keeping the other headers', async () => {
    assert.deepEqual(await headersOf(createAuthProvider({ type: 'bearer', token: 'abc.def' })), { accept: 'application/json', authorization: 'Bearer abc.def' });
  });

  it('api_key uses the configured header (X-API-Key by default in the model)', async () => {
    assert.equal((await headersOf(createAuthProvider({ type: 'api_key', key: 'k-123', header: 'X-API-Key' })))['X-API-Key'], 'k-123');
    assert.equal((await headersOf(createAuthProvider({ type: 'api_key', key: 'k-123', header: 'X-Custom' })))['X-Custom'], 'k-123');
  });

  it('basic encodes user:password (RFC 7617)', async () => {
    // RFC 7617 §2's example: Aladdin / open sesame.
    assert.equal((await headersOf(createAuthProvider({ type: 'basic', username: 'Aladdin', password: 'open sesame' }))).authorization, 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  });

  it('jwt signs HS256 with the claims plus iat and exp, verifiable with the secret', async () => {
    const now = 1_700_000_000_000;
    const provider = createAuthProvider({ type: 'jwt', secret: 'jwt-secret', algorithm: 'HS256', claims: { iss: 'simone', sub: 'ci', exp: 1 } }, { now: () => now });
    const token = (await headersOf(provider)).authorization.replace(/^Bearer /, '');
    const [header, payload, signature] = token.split('.');
    assert.deepEqual(JSON.parse(Buffer.from(header, 'base64url').toString()), { alg: 'HS256', typ: 'JWT' });
    assert.deepEqual(JSON.parse(Buffer.from(payload, 'base64url').toString()), { iss: 'simone', sub: 'ci', iat: 1_700_000_000, exp: 1_700_000_300 });
    assert.equal(signature, createHmac('sha256', 'jwt-secret').update(`${header}.${payload}`).digest('base64url'));
  });

  for (const algorithm of ['HS384', 'HS512'] as const) {
    it(`jwt signs ${algorithm}: jose verifies it with the secret and refuses another secret`, async () => {
      const secret = `a ${algorithm} secret of some length`;
      const now = Date.now();
      const provider = createAuthProvider({ type: 'jwt', secret, algorithm, claims: { iss: 'simone', aud: 'api' } }, { now: () => now });
      const token = (await headersOf(provider)).authorization.replace(/^Bearer /, '');
      assert.deepEqual(decodeProtectedHeader(token), { alg: algorithm, typ: 'JWT' });
      const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: [algorithm], issuer: 'simone', audience: 'api' });
      assert.equal(payload.exp! - payload.iat!, 300);
      await assert.rejects(jwtVerify(token, new TextEncoder().encode('another secret entirely'), { algorithms: [algorithm] }), /signature verification failed/);
    });
  }

  it('the schema offers exactly the algorithms jwt auth signs', () => {
    const find = (node: unknown): JsonSchema | undefined => {
      if (!node || typeof node !== 'object') return undefined;
      const jwt = (node as JsonSchema).properties;
      if (jwt?.algorithm && jwt.secret && jwt.claims) return jwt.algorithm;
      for (const value of Object.values(node)) {
        const found = find(value);
        if (found) return found;
      }
      return undefined;
    };
    assert.deepEqual(find(integrationSchema)?.enum, [...JWT_ALGORITHMS]);
  });

  it('refuses what it cannot do, as config errors that hold no secret', () => {
    const refused = (settings: Parameters<typeof createAuthProvider>[0], message: string) =>
      assert.throws(() => createAuthProvider(settings), (error: ClassifiedError) => error instanceof ClassifiedError && error.kind === 'config' && error.message === message);
    refused({ type: 'jwt', secret: 'jwt-secret', algorithm: 'RS256', claims: {} }, 'jwt auth: algorithm RS256 is not supported (HS256, HS384, HS512)');
    refused({ type: 'bearer', token: '' }, 'bearer auth has no token (is its variable set?)');
    refused({ type: 'api_key', key: '', header: 'X-API-Key' }, 'api_key auth has no key (is its variable set?)');
  });
});
