/**
 * A URL's `user:password@` part. The password runs to the last `@` before the path, since
 * a password may itself hold an `@`; a leading quote (a quoted YAML scalar's source) is skipped.
 */
const USERINFO = /^(['"]?[a-z][a-z0-9+.-]*:\/\/)([^/@\s:'"]*)(?::([^/\s'"]*))?@/i;
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^/@\s:]*)(?::([^/\s]*))?@/gi;

/** `amqp://guest:guest@host` -> `amqp://guest:***@host`, so URLs can be shown. */
export function maskUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, (_whole, scheme: string, user: string, password: string | undefined) => `${scheme}${user}${password === undefined ? '' : ':***'}@`);
}

/** Where a URL's userinfo is in `text` (which may start with a quote), and its password. */
export function urlUserInfo(text: string): { start: number; end: number; password?: string } | undefined {
  const match = USERINFO.exec(text);
  if (!match) return undefined;
  const start = match[1].length;
  return { start, end: match[0].length - 1, password: match[3] };
}

/** The password part of a URL's userinfo, when there is one. */
export function urlPassword(text: string): string | undefined {
  return urlUserInfo(text)?.password || undefined;
}
