/** Keys whose values are secrets wherever they appear (the schema marks them with x-secret too). */
export const SECRET_KEYS = new Set(['secret', 'password', 'client_secret', 'token', 'key']);

const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^/@\s:]*)(?::([^/@\s]*))?@/gi;

/** `amqp://guest:guest@host` -> `amqp://guest:***@host`, so URLs can be shown. */
export function maskUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, (_whole, scheme: string, user: string, password: string | undefined) => `${scheme}${user}${password === undefined ? '' : ':***'}@`);
}

/** The password part of a URL's userinfo, when there is one. */
export function urlPassword(text: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:([^/@\s]+)@/i.exec(text);
  return match?.[1];
}
