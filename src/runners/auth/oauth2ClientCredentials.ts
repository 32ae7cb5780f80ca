import { request, type Dispatcher } from 'undici';
import { classifyError, classifyStatus, redact } from '../errors';
import type { RequestAuthorizer } from '../http/requestAuthorizer';
import { sharedAgent } from '../http/sharedAgent';
import { raceAbort } from '../raceAbort';
import { TokenRequestError } from './tokenRequestError';

export interface OAuth2ClientCredentialsSettings {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
}

export interface OAuth2Options {
  /** Refresh this long before `expires_in` runs out (at most half the token's life). Default 30 s. */
  refreshMarginMs?: number;
  /** For the token request. Default 10 s. */
  timeoutMs?: number;
  dispatcher?: Dispatcher;
  now?: () => number;
}

interface CachedToken {
  value: string;
  /** Epoch ms after which it is refreshed; undefined when the server gave no `expires_in` (kept until a 401). */
  refreshAt?: number;
}

/** application/x-www-form-urlencoded, as RFC 6749 §2.3.1 asks for the client id and secret before Basic encoding. */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4): the token is cached until `expires_in` minus a margin, and
 * however many callers ask at once, one token request is in flight. After a 401, `invalidate(sentHeaders)`
 * drops the token those headers carried; a token already replaced by a newer one is kept, so a burst of
 * 401s leads to one refresh.
 */
export class OAuth2ClientCredentials implements RequestAuthorizer {
  private token?: CachedToken;
  private inflight?: Promise<CachedToken>;
  private readonly secrets: string[];
  private readonly endpointName: string;

  constructor(
    private readonly settings: OAuth2ClientCredentialsSettings,
    private readonly options: OAuth2Options = {},
  ) {
    this.secrets = [settings.clientSecret, formEncode(settings.clientSecret)];
    this.endpointName = describeEndpoint(settings.tokenUrl);
  }

  async authorize(headers: Record<string, string>, signal?: AbortSignal): Promise<void> {
    headers.authorization = `Bearer ${(await this.currentToken(signal)).value}`;
  }

  invalidate(sentHeaders?: Record<string, string>): void {
    const sent = sentHeaders && Object.entries(sentHeaders).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
    if (sent !== undefined && sent !== `Bearer ${this.token?.value}`) return;
    this.token = undefined;
  }

  private currentToken(signal?: AbortSignal): Promise<CachedToken> {
    const now = (this.options.now ?? Date.now)();
    if (this.token && (this.token.refreshAt === undefined || now < this.token.refreshAt)) return Promise.resolve(this.token);
    this.inflight ??= this.requestToken().finally(() => (this.inflight = undefined));
    // A caller that gives up leaves the shared request running for the others.
    return raceAbort(this.inflight, signal);
  }

  private async requestToken(): Promise<CachedToken> {
    const { tokenUrl, clientId, clientSecret, scope } = this.settings;
    const body = new URLSearchParams({ grant_type: 'client_credentials', ...(scope ? { scope } : {}) }).toString();
    const basic = Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64');
    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await request(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: `Basic ${basic}` },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
        dispatcher: this.options.dispatcher ?? sharedAgent(),
      });
      text = await response.body.text();
    } catch (error) {
      const failure = classifyError(error, [...this.secrets, basic]);
      throw new TokenRequestError(failure.kind, `token request to ${this.endpointName} failed: ${failure.message}`);
    }
    const json = parseJson(text);
    if (response.statusCode >= 300) {
      const oauthError = typeof json?.error === 'string' ? json.error : undefined;
      const description = typeof json?.error_description === 'string' ? `: ${json.error_description}` : '';
      const detail = oauthError ? ` (${oauthError}${description})` : '';
      const kind = response.statusCode === 400 ? 'auth' : (classifyStatus(response.statusCode) ?? 'remote-4xx');
      throw new TokenRequestError(kind, redact(`token request to ${this.endpointName} answered ${response.statusCode}${detail}`, [...this.secrets, basic]).slice(0, 300), response.statusCode, oauthError);
    }
    const accessToken = json?.access_token;
    if (typeof accessToken !== 'string' || accessToken === '') throw new TokenRequestError('auth', `token response from ${this.endpointName} has no access_token`, response.statusCode);
    const tokenType = json?.token_type;
    if (typeof tokenType === 'string' && tokenType.toLowerCase() !== 'bearer') throw new TokenRequestError('auth', `token response from ${this.endpointName} has token_type ${tokenType}, not bearer`, response.statusCode);
    const expiresInMs = Number(json?.expires_in) * 1000;
    const margin = Math.min(this.options.refreshMarginMs ?? 30_000, expiresInMs / 2);
    this.token = { value: accessToken, refreshAt: expiresInMs > 0 ? (this.options.now ?? Date.now)() + expiresInMs - margin : undefined };
    return this.token;
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Origin and path only: no userinfo, no query. */
function describeEndpoint(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.origin + parsed.pathname;
  } catch {
    return 'the token endpoint';
  }
}
