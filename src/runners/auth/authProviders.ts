import type { AuthSettings } from '../../core/model';
import { ClassifiedError } from '../errors';
import type { RequestAuthorizer } from '../http/requestAuthorizer';
import { JWT_ALGORITHMS } from '../../core/defaults';
import { isJwtAlgorithm, JwtAuth } from './jwtAuth';
import { OAuth2ClientCredentials, type OAuth2Options } from './oauth2ClientCredentials';
import { StaticHeaderAuth } from './staticHeaderAuth';

/** Throws a config error naming the first empty field (usually a `${VAR}` that is not set). */
function required(type: string, fields: Record<string, string>): void {
  for (const [name, value] of Object.entries(fields)) {
    if (!value) throw new ClassifiedError('config', `${type} auth has no ${name} (is its variable set?)`);
  }
}

/** The authorizer for an integration's `auth` settings; bad settings throw a config error without their values. */
export function createAuthProvider(settings: AuthSettings, options: OAuth2Options = {}): RequestAuthorizer {
  switch (settings.type) {
    case 'bearer':
      required('bearer', { token: settings.token });
      return new StaticHeaderAuth('authorization', `Bearer ${settings.token}`);
    case 'api_key':
      required('api_key', { key: settings.key, header: settings.header });
      return new StaticHeaderAuth(settings.header, settings.key);
    case 'basic':
      required('basic', { username: settings.username });
      return new StaticHeaderAuth('authorization', `Basic ${Buffer.from(`${settings.username}:${settings.password}`).toString('base64')}`);
    case 'jwt': {
      required('jwt', { secret: settings.secret });
      const algorithm = settings.algorithm.toUpperCase();
      if (!isJwtAlgorithm(algorithm)) throw new ClassifiedError('config', `jwt auth: algorithm ${settings.algorithm} is not supported (${JWT_ALGORITHMS.join(', ')})`);
      return new JwtAuth(settings.secret, algorithm, settings.claims, undefined, options.now);
    }
    case 'oauth2_client_credentials':
      required('oauth2_client_credentials', { token_url: settings.tokenUrl, client_id: settings.clientId, client_secret: settings.clientSecret });
      return new OAuth2ClientCredentials(settings, options);
  }
}
