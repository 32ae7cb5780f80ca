import { createHmac } from 'node:crypto';
import type { RequestAuthorizer } from '../http/requestAuthorizer';

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

/** A fresh HS256 JWT per request: the configured claims plus `iat` and `exp` (which the provider always sets). */
export class JwtAuth implements RequestAuthorizer {
  constructor(
    private readonly secret: string,
    private readonly claims: Record<string, unknown>,
    private readonly lifetimeSeconds = 300,
    private readonly now: () => number = Date.now,
  ) {}

  token(): string {
    const iat = Math.floor(this.now() / 1000);
    const payload = Buffer.from(JSON.stringify({ ...this.claims, iat, exp: iat + this.lifetimeSeconds })).toString('base64url');
    const signature = createHmac('sha256', this.secret).update(`${HEADER}.${payload}`).digest('base64url');
    return `${HEADER}.${payload}.${signature}`;
  }

  async authorize(headers: Record<string, string>): Promise<void> {
    headers.authorization = `Bearer ${this.token()}`;
  }

  invalidate(): void {}
}
