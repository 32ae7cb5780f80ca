import { randomUUID } from 'node:crypto';
import { findMatchingSignature, headerValue, hmacSha256, unixSeconds } from './signatureCrypto';
import { WebhookSecretError, type SignatureScheme } from './signatureScheme';
import { parseUnixSeconds, timestampProblem } from './timestampTolerance';

const ID_HEADER = 'webhook-id';
const TIMESTAMP_HEADER = 'webhook-timestamp';
const SIGNATURE_HEADER = 'webhook-signature';
const SECRET_PREFIX = 'whsec_';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/;

/** The key is the base64-decoded part of `whsec_<base64>`; the prefix is optional, as in the reference libraries. */
function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (encoded.length === 0 || !BASE64.test(encoded)) throw new WebhookSecretError('a Standard Webhooks secret must be whsec_<base64>');
  return Buffer.from(encoded, 'base64');
}

function expected(key: Buffer, id: string, timestamp: string, payload: string | Buffer): string {
  return hmacSha256(key, `${id}.${timestamp}.`, payload).toString('base64');
}

/**
 * Standard Webhooks (standardwebhooks.com): `webhook-id`, `webhook-timestamp` and `webhook-signature`, the latter a
 * space-separated list of `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`; other versions are ignored.
 */
export const standardSignature: SignatureScheme = {
  name: 'standard',
  signatureHeader: SIGNATURE_HEADER,
  timestampHeader: TIMESTAMP_HEADER,
  idHeader: ID_HEADER,
  sign(payload, secret, options = {}) {
    const id = options.id ?? `msg_${randomUUID().replaceAll('-', '')}`;
    const timestamp = String(options.timestamp ?? unixSeconds());
    return { [ID_HEADER]: id, [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: `v1,${expected(secretKey(secret), id, timestamp, payload)}` };
  },
  verify(payload, headers, secret, options) {
    let key: Buffer;
    try {
      key = secretKey(secret);
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
    const id = headerValue(headers, ID_HEADER);
    const timestampText = headerValue(headers, TIMESTAMP_HEADER);
    const signature = headerValue(headers, SIGNATURE_HEADER);
    for (const [name, value] of [[ID_HEADER, id], [TIMESTAMP_HEADER, timestampText], [SIGNATURE_HEADER, signature]] as const) {
      if (value === undefined) return { ok: false, reason: `missing header ${name}` };
    }
    const timestamp = parseUnixSeconds(timestampText!);
    if (timestamp === undefined) return { ok: false, reason: `malformed header ${TIMESTAMP_HEADER} (expected unix seconds)` };
    const late = timestampProblem(timestamp, options.toleranceMs, options.now);
    if (late) return { ok: false, reason: late };
    const candidates = signature!.split(' ').filter((part) => part.startsWith('v1,')).map((part) => part.slice(3));
    if (candidates.length === 0) return { ok: false, reason: `no v1 signature in header ${SIGNATURE_HEADER}` };
    const matched = findMatchingSignature(candidates, expected(key, id!, timestampText!.trim(), payload));
    return matched ? { ok: true, replayKey: `id:${id}` } : { ok: false, reason: 'signature mismatch' };
  },
};
