import { findMatchingSignature, headerValue, hmacSha256 } from './signatureCrypto';
import type { SignatureScheme } from './signatureScheme';

const HEADER = 'X-Hub-Signature-256';
const PREFIX = 'sha256=';

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`; it signs no timestamp. */
export const githubSignature: SignatureScheme = {
  name: 'github',
  signatureHeader: HEADER,
  sign(payload, secret) {
    return { [HEADER]: PREFIX + hmacSha256(secret, payload).toString('hex') };
  },
  verify(payload, headers, secret) {
    const header = headerValue(headers, HEADER);
    if (header === undefined) return { ok: false, reason: `missing header ${HEADER}` };
    // Several values (comma-separated, or a repeated header joined by node:http) may each be tried.
    const candidates = header.split(',').map((part) => part.trim()).filter((part) => part.startsWith(PREFIX));
    if (candidates.length === 0) return { ok: false, reason: `malformed header ${HEADER} (expected ${PREFIX}<hex>)` };
    const matched = findMatchingSignature(candidates, PREFIX + hmacSha256(secret, payload).toString('hex'));
    return matched ? { ok: true, replayKey: matched } : { ok: false, reason: 'signature mismatch' };
  },
};
