import { maskUrlCredentials } from '../core/secrets';

/**
 * An exception as one log entry: its type, the first line of its message with
 * URL credentials masked, and where it was thrown. Later message lines are
 * dropped because some (the yaml package's parse errors) quote the document.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `non-error thrown (${typeof error})`;
  const message = maskUrlCredentials(error.message.split('\n')[0]).slice(0, 200);
  const frames = (error.stack ?? '').split('\n').filter((line) => line.trimStart().startsWith('at ')).slice(0, 6);
  return [`${error.name}: ${message}`, ...frames].join('\n');
}
