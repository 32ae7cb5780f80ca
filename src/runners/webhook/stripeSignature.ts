import { findMatchingSignature, headerValue, hmacSha256, unixSeconds } from './signatureCrypto';
import type { SignatureScheme } from './signatureScheme';
import { parseUnixSeconds, timestampProblem } from './timestampTolerance';

const HEADER = 'Stripe-Signature';

function expected(secret: string, timestamp: string, payload: string | Buffer): string {
  return hmacSha256(secret, `${timestamp}.`, payload).toString('hex');
}

/**
 * Stripe: `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">[,v1=…]`. The whole secret,
 * `whsec_` prefix included, is the key; other schemes in the header (v0) are ignored, as Stripe's libraries do.
 */
export const stripeSignature: SignatureScheme = {
  name: 'stripe',
  signatureHeader: HEADER,
  sign(payload, secret, options = {}) {
    const timestamp = String(options.timestamp ?? unixSeconds());
    return { [HEADER]: `t=${timestamp},v1=${expected(secret, timestamp, payload)}` };
  },
  verify(payload, headers, secret, options) {
    const header = headerValue(headers, HEADER);
    if (header === undefined) return { ok: false, reason: `missing header ${HEADER}` };
    let timestampText: string | undefined;
    const candidates: string[] = [];
    for (const element of header.split(',')) {
      const separator = element.indexOf('=');
      if (separator < 0) continue;
      const key = element.slice(0, separator).trim();
      const value = element.slice(separator + 1).trim();
      if (key === 't') timestampText = value;
      else if (key === 'v1') candidates.push(value);
    }
    const timestamp = timestampText === undefined ? undefined : parseUnixSeconds(timestampText);
    if (timestampText === undefined || timestamp === undefined) return { ok: false, reason: `malformed header ${HEADER} (expected t=<unix seconds>)` };
    if (candidates.length === 0) return { ok: false, reason: `no v1 signature in header ${HEADER}` };
    const late = timestampProblem(timestamp, options.toleranceMs, options.now);
    if (late) return { ok: false, reason: late };
    const matched = findMatchingSignature(candidates, expected(secret, timestampText, payload));
    return matched ? { ok: true, replayKey: `${timestampText}.${matched}` } : { ok: false, reason: 'signature mismatch' };
  },
};
