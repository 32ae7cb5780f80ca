import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { createAuthProvider } from '../../src/runners/auth/authProviders';
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

  it('refuses what it cannot do, as config errors that hold no secret', () => {
    const refused = (settings: Parameters<typeof createAuthProvider>[0], message: string) =>
      assert.throws(() => createAuthProvider(settings), (error: ClassifiedError) => error instanceof ClassifiedError && error.kind === 'config' && error.message === message);
    refused({ type: 'jwt', secret: 'jwt-secret', algorithm: 'RS256', claims: {} }, 'jwt auth: algorithm RS256 is not supported (HS256 only)');
    refused({ type: 'bearer', token: '' }, 'bearer auth has no token (is its variable set?)');
    refused({ type: 'api_key', key: '', header: 'X-API-Key' }, 'api_key auth has no key (is its variable set?)');
  });
});
