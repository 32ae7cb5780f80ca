import type { SignatureScheme as SchemeName } from '../../core/model';

/** Request headers as node:http gives them (lower-case names) or as a sender builds them (any case). */
export type HeaderBag = Readonly<Record<string, string | string[] | undefined>>;

export interface SignOptions {
  /** Unix seconds; now when absent (for the schemes that sign a timestamp). */
  timestamp?: number;
  /** Message id (Standard Webhooks); a fresh one when absent. */
  id?: string;
}

export interface VerifyOptions {
  /** Largest allowed distance between the signed timestamp and `now`, either way; 0 turns the check off. */
  toleranceMs: number;
  /** Epoch milliseconds; Date.now() when absent. */
  now?: number;
}

export type VerifyResult =
  | {
      ok: true;
      /** What a replay of this delivery would repeat: a signed id, or else the matching signature; none for `none`. */
      replayKey?: string;
    }
  | { ok: false; reason: string };

/** One webhook signature scheme: how a sender signs a raw body and how a receiver checks it. */
export interface SignatureScheme {
  readonly name: SchemeName;
  /** The header whose value `webhook sign` prints and `webhook verify --signature` fills. */
  readonly signatureHeader?: string;
  /** Where the signed timestamp travels, when it has a header of its own. */
  readonly timestampHeader?: string;
  /** Where the signed message id travels, when the scheme has one. */
  readonly idHeader?: string;
  sign(payload: string | Buffer, secret: string, options?: SignOptions): Record<string, string>;
  verify(payload: string | Buffer, headers: HeaderBag, secret: string, options: VerifyOptions): VerifyResult;
}

/** A secret that cannot be used as the scheme's key (for example a Standard Webhooks secret that is not base64). */
export class WebhookSecretError extends Error {}

/**
 * Every header a scheme's `verify` cannot do without, in the order it looks for them: the receiver refuses a
 * request that lacks one before reading its body, with the reason `verify` would give.
 */
export function requiredHeaders(scheme: SignatureScheme): string[] {
  return [scheme.idHeader, scheme.timestampHeader, scheme.signatureHeader].filter((name): name is string => name !== undefined);
}
