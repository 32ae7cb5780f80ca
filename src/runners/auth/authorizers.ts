import type { Integration } from '../../core/model';
import type { RequestAuthorizer } from '../http/requestAuthorizer';
import { KeyedCache } from '../keyedCache';
import { createAuthProvider } from './authProviders';
import type { OAuth2Options } from './oauth2ClientCredentials';

type WithAuth = Integration & { auth: NonNullable<Integration['auth']> };

/** Bad auth settings (an unset variable) fail each call with their config error instead of stopping whoever asked. */
export function failingAuthorizer(error: unknown): RequestAuthorizer {
  return { authorize: () => Promise.reject(error), invalidate: () => undefined };
}

/**
 * One authorizer per integration and auth settings, shared by endpoint tests,
 * health checks and event publishing, so an OAuth token is fetched once for
 * all of them and reused until it expires (or a 401 invalidates it).
 */
export class Authorizers {
  private readonly cache: KeyedCache<WithAuth, RequestAuthorizer>;

  constructor(options: OAuth2Options = {}) {
    this.cache = new KeyedCache<WithAuth, RequestAuthorizer>({
      fingerprint: (integration) => JSON.stringify([integration.auth, integration.timeoutMs]),
      create: (integration) => {
        try {
          // A token request is bounded by the integration's own `timeout`, like its other requests.
          return createAuthProvider(integration.auth, { timeoutMs: integration.timeoutMs, ...options });
        } catch (error) {
          return failingAuthorizer(error);
        }
      },
    });
  }

  /** The integration's authorizer; undefined when it has no `auth`. */
  get(integration: Integration): RequestAuthorizer | undefined {
    return integration.auth ? this.cache.get(integration as WithAuth) : undefined;
  }

  dispose(): Promise<void> {
    return this.cache.dispose();
  }
}
