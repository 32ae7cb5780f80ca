import { findMatchingSignature, headerValue, hmacSha256, unixSeconds } from './signatureCrypto';
import type { SignatureScheme } from './signatureScheme';
import { parseUnixSeconds, timestampProblem } from './timestampTolerance';

const SIGNATURE_HEADER = 'X-Slack-Signature';
const TIMESTAMP_HEADER = 'X-Slack-Request-Timestamp';
const PREFIX = 'v0=';

function expected(secret: string, timestamp: string, payload: string | Buffer): string {
  return PREFIX + hmacSha256(secret, `v0:${timestamp}:`, payload).toString('hex');
}

/** Slack v0: `X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<body>">` with the timestamp in its own header. */
export const slackSignature: SignatureScheme = {
  name: 'slack',
  signatureHeader: SIGNATURE_HEADER,
  timestampHeader: TIMESTAMP_HEADER,
  sign(payload, secret, options = {}) {
    const timestamp = String(options.timestamp ?? unixSeconds());
    return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: expected(secret, timestamp, payload) };
  },
  verify(payload, headers, secret, options) {
    const timestampText = headerValue(headers, TIMESTAMP_HEADER);
    if (timestampText === undefined) return { ok: false, reason: `missing header ${TIMESTAMP_HEADER}` };
    const signature = headerValue(headers, SIGNATURE_HEADER);
    if (signature === undefined) return { ok: false, reason: `missing header ${SIGNATURE_HEADER}` };
    const timestamp = parseUnixSeconds(timestampText);
    if (timestamp === undefined) return { ok: false, reason: `malformed header ${TIMESTAMP_HEADER} (expected unix seconds)` };
    const late = timestampProblem(timestamp, options.toleranceMs, options.now);
    if (late) return { ok: false, reason: late };
    const candidates = signature.split(',').map((part) => part.trim()).filter((part) => part.startsWith(PREFIX));
    if (candidates.length === 0) return { ok: false, reason: `malformed header ${SIGNATURE_HEADER} (expected ${PREFIX}<hex>)` };
    const matched = findMatchingSignature(candidates, expected(secret, timestampText.trim(), payload));
    return matched ? { ok: true, replayKey: matched } : { ok: false, reason: 'signature mismatch' };
  },
};
