import { ClassifiedError, type ErrorKind } from '../errors';

/** The token endpoint refused or failed; the message names the endpoint and the OAuth `error` code, never a credential. */
export class TokenRequestError extends ClassifiedError {
  constructor(
    kind: ErrorKind,
    message: string,
    readonly status?: number,
    /** RFC 6749 §5.2 `error`, when the server gave one. */
    readonly oauthError?: string,
  ) {
    super(kind, message, status === undefined ? undefined : String(status));
  }
}
