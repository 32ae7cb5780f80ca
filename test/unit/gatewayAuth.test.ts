import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { buildModel } from '../../src/core/buildModel';
import { parseConfigFile } from '../../src/core/configFile';
import { JWT_ALGORITHMS } from '../../src/core/defaults';
import { EMPTY_ENVIRONMENT } from '../../src/core/env';
import type { ApiGateway } from '../../src/core/model';
import { OAuth2ClientCredentials } from '../../src/runners/auth/oauth2ClientCredentials';
import { gatewayAuthorizer } from '../../src/runners/gateway/gatewayAuth';

/** The model of an `api_gateway` document with these `authentication` lines, built as the CLI builds it. */
function gatewayWith(authentication: string): ApiGateway {
  const file = parseConfigFile('/test/gateway.yaml', `api_gateway:\n  authentication:\n${authentication}  routes:\n    - { path: /users, service: users }\n`);
  const built = buildModel(file.documents[0], { uri: file.uri, env: EMPTY_ENVIRONMENT, folder: '/test' });
  if (built?.kind !== 'api_gateway') throw new Error('not a gateway');
  return built.gateway;
}

async function headersFrom(gateway: ApiGateway): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  await gatewayAuthorizer(gateway)!.authorize(headers);
  return headers;
}

describe('gateway authentication: the client credential a route test sends', () => {
  for (const algorithm of JWT_ALGORITHMS) {
    it(`jwt ${algorithm}: a short-lived token (iss, sub, iat, exp) that jose verifies with the secret and no other`, async () => {
      const gateway = gatewayWith(`    type: jwt\n    secret: gw-secret-${algorithm}\n    algorithm: ${algorithm}\n`);
      const token = (await headersFrom(gateway)).authorization.replace(/^Bearer /, '');
      assert.equal(decodeProtectedHeader(token).alg, algorithm);
      const { payload } = await jwtVerify(token, new TextEncoder().encode(`gw-secret-${algorithm}`), { algorithms: [algorithm], issuer: 'simone-integrations', subject: 'simone-integrations' });
      assert.equal(payload.exp! - payload.iat!, 300);
      assert.ok(Math.abs(payload.iat! - Date.now() / 1000) < 5);
      await assert.rejects(jwtVerify(token, new TextEncoder().encode('another secret'), { algorithms: [algorithm] }), /signature verification failed/);
    });
  }

  it('jwt claims override iss and sub and add others; HS256 when no algorithm is given', async () => {
    const token = (await headersFrom(gatewayWith('    type: jwt\n    secret: s\n    claims: { iss: https://auth.example.com, aud: api }\n'))).authorization.slice(7);
    assert.equal(decodeProtectedHeader(token).alg, 'HS256');
    const { payload } = await jwtVerify(token, new TextEncoder().encode('s'), { issuer: 'https://auth.example.com', audience: 'api', subject: 'simone-integrations' });
    assert.equal(payload.iss, 'https://auth.example.com');
  });

  it('api_key: the secret in X-API-Key, or in the configured header', async () => {
    assert.deepEqual(await headersFrom(gatewayWith('    type: api_key\n    secret: k-1\n')), { 'X-API-Key': 'k-1' });
    assert.deepEqual(await headersFrom(gatewayWith('    type: api_key\n    secret: k-1\n    header: X-Gateway-Key\n')), { 'X-Gateway-Key': 'k-1' });
  });

  it('oauth2: the client credentials authorizer, with the secret as the client secret', () => {
    const authorizer = gatewayAuthorizer(gatewayWith('    type: oauth2\n    secret: cs\n    token_url: http://127.0.0.1:1/token\n    client_id: simone\n'));
    assert.ok(authorizer instanceof OAuth2ClientCredentials);
  });

  it('settings that cannot work fail each request with a config error naming the missing field, never the caller', async () => {
    const refused = async (authentication: string, message: RegExp) => {
      const authorizer = gatewayAuthorizer(gatewayWith(authentication));
      await assert.rejects(authorizer!.authorize({}), (error: Error & { kind?: string }) => error.kind === 'config' && message.test(error.message));
    };
    await refused('    type: jwt\n', /jwt auth has no secret/);
    await refused('    type: oauth2\n    secret: cs\n    client_id: simone\n', /has no token_url/);
    assert.equal(gatewayAuthorizer({ ...gatewayWith('    type: jwt\n    secret: s\n'), authentication: undefined }), undefined);
  });
});
