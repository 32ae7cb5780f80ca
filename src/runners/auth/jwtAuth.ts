import { SignJWT } from 'jose';
import { JWT_ALGORITHMS } from '../../core/defaults';
import type { RequestAuthorizer } from '../http/requestAuthorizer';

/** The HMAC algorithms jwt auth signs with: the list the schema offers for `auth.algorithm`. */
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

export function isJwtAlgorithm(name: string): name is JwtAlgorithm {
  return (JWT_ALGORITHMS as readonly string[]).includes(name);
}

/** A fresh JWT per request, signed with `jose`: the configured claims plus `iat` and `exp` (which the provider always sets). */
export class JwtAuth implements RequestAuthorizer {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly algorithm: JwtAlgorithm,
    private readonly claims: Record<string, unknown>,
    private readonly lifetimeSeconds = 300,
    private readonly now: () => number = Date.now,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  token(): Promise<string> {
    const iat = Math.floor(this.now() / 1000);
    return new SignJWT({ ...this.claims })
      .setProtectedHeader({ alg: this.algorithm, typ: 'JWT' })
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.lifetimeSeconds)
      .sign(this.key);
  }

  async authorize(headers: Record<string, string>): Promise<void> {
    headers.authorization = `Bearer ${await this.token()}`;
  }

  invalidate(): void {}
}
