import { createHmac, timingSafeEqual } from 'node:crypto';
import type { HeaderBag } from './signatureScheme';

export function hmacSha256(key: string | Buffer, ...parts: Array<string | Buffer>): Buffer {
  const hmac = createHmac('sha256', key);
  for (const part of parts) hmac.update(part);
  return hmac.digest();
}

/** Constant-time for equal lengths; the length of an HMAC is public, so a length mismatch may return early. */
export function signaturesEqual(received: string, expected: string): boolean {
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The candidate that matches, if any; every candidate is compared, so timing does not tell which one did. */
export function findMatchingSignature(candidates: readonly string[], expected: string): string | undefined {
  let matched: string | undefined;
  for (const candidate of candidates) if (signaturesEqual(candidate, expected) && matched === undefined) matched = candidate;
  return matched;
}

/** A header by case-insensitive name; repeated headers are joined with ", " as node:http does. */
export function headerValue(headers: HeaderBag, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return Array.isArray(value) ? value.join(', ') : value;
  }
  return undefined;
}

export function unixSeconds(now = Date.now()): number {
  return Math.floor(now / 1000);
}
