import { createHash } from 'node:crypto';

/**
 * A short digest of what a thing was built from (an integration, a service, a gateway, options), for "did its
 * settings change?". Where a part is declared is not a setting, except its file: moving a document within its
 * file changes nothing, moving it to another workspace folder does. A digest, so no secret sits in it.
 */
export function settingsFingerprint(...parts: readonly unknown[]): string {
  const json = JSON.stringify(parts.map((part) => (isDeclared(part) ? { ...part, source: part.source.uri } : part)));
  return createHash('sha256').update(json).digest('base64url');
}

function isDeclared(part: unknown): part is { source: { uri: string } } {
  const source = (part as { source?: unknown } | null)?.source;
  return typeof source === 'object' && source !== null && typeof (source as { uri?: unknown }).uri === 'string';
}
