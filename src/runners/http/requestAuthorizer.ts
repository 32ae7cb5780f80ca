/**
 * How a request gets its credentials, passed in by the caller (the auth
 * runner implements it): `authorize` adds headers, `invalidate` drops a cached
 * credential after the server answered 401 so the next `authorize` fetches a
 * fresh one.
 */
export interface RequestAuthorizer {
  authorize(headers: Record<string, string>, signal?: AbortSignal): Promise<void>;
  /** `sentHeaders`: the headers that got the 401, so a credential refreshed meanwhile by another caller survives. */
  invalidate(sentHeaders?: Record<string, string>): void;
}
