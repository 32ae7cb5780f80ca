import { maskUrlCredentials } from '../core/secrets';

/**
 * An exception as one log entry: its type, a short message with URL credentials
 * masked, and where it was thrown. The document's text is never included.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `non-error thrown (${typeof error})`;
  const message = maskUrlCredentials(error.message).slice(0, 200);
  const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).slice(0, 6);
  return [`${error.name}: ${message}`, ...frames].join('\n');
}
