import { DEFAULTS } from '../../core/defaults';
import type { ApiGateway, AuthSettings } from '../../core/model';
import { createAuthProvider } from '../auth/authProviders';
import { failingAuthorizer } from '../auth/authorizers';
import type { OAuth2Options } from '../auth/oauth2ClientCredentials';
import type { RequestAuthorizer } from '../http/requestAuthorizer';

type GatewayAuthentication = NonNullable<ApiGateway['authentication']>;

/** The gateway's `authentication` in the terms of an integration's `auth`, so the same authorizers sign and fetch. */
function gatewayAuthSettings(authentication: GatewayAuthentication): AuthSettings {
  const secret = authentication.secret ?? '';
  switch (authentication.type) {
    case 'jwt':
      return {
        type: 'jwt',
        secret,
        algorithm: authentication.algorithm,
        claims: { iss: DEFAULTS.gateway.jwt_subject, sub: DEFAULTS.gateway.jwt_subject, ...authentication.claims },
      };
    case 'api_key':
      return { type: 'api_key', key: secret, header: authentication.header };
    case 'oauth2':
      return { type: 'oauth2_client_credentials', tokenUrl: authentication.tokenUrl ?? '', clientId: authentication.clientId ?? '', clientSecret: secret, scope: authentication.scope };
  }
}

/**
 * What a client of the gateway sends: a fresh short-lived JWT per request (iss, sub, iat, exp), the API key,
 * or an OAuth2 token fetched once and reused. Undefined without `authentication`; settings that cannot work
 * (an unset secret) fail each request with their config error, never the caller.
 */
export function gatewayAuthorizer(gateway: ApiGateway, options: OAuth2Options = {}): RequestAuthorizer | undefined {
  if (!gateway.authentication) return undefined;
  try {
    return createAuthProvider(gatewayAuthSettings(gateway.authentication), options);
  } catch (error) {
    return failingAuthorizer(error);
  }
}
