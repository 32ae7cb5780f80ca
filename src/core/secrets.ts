import { isMap, isScalar } from 'yaml';
import type { ConfigDocument } from './configFile';
import { findVariableReferences, hasVariableReference, resolveVariables, type EnvironmentProvider } from './env';
import type { JsonSchema, SecretParts } from './jsonSchema';
import { MIN_SECRET_LENGTH } from './redactor';
import { integrationSchema } from './schema';
import { walkWithSchema } from './schemaWalk';

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

/** Formats whose values are (or may be) URLs: their userinfo and query values are secret places. */
const URL_FORMATS = new Set(['uri', 'uri-template', 'amqp-uri', 'postgres-uri', 'queue-or-url', 'path-or-url']);

/** Which parts of a value at this schema are secret: the whole value, a URL's parts, or none. */
export function secretParts(schema: JsonSchema | undefined): SecretParts | undefined {
  if (!schema) return undefined;
  if (schema['x-secret'] || schema['x-secret-parts'] === 'value') return 'value';
  return schema['x-secret-parts'] ?? (schema.format && URL_FORMATS.has(schema.format) ? 'url' : undefined);
}

const decoded = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/** The secret parts of a URL: user, password (and `user:password`, sent as Basic), every query value, the path for `url-path`. */
function urlSecrets(text: string, parts: SecretParts): string[] {
  // Only userinfo (before an `@`), the query (after a `?`) and, for `url-path`, the path can hold a secret; most
  // values have neither, and a failed `new URL` costs an exception per value.
  if (parts !== 'url-path' && !text.includes('@') && !text.includes('?')) return [];
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // A password with `/` or `#` makes the URL unparseable: take the userinfo as written.
    const scheme = text.indexOf('://');
    const at = text.lastIndexOf('@');
    if (scheme < 0 || at < scheme) return [];
    const [user, password = ''] = text.slice(scheme + 3, at).split(/:(.*)/s);
    return [user, password, `${user}:${password}`];
  }
  const user = decoded(url.username);
  const password = decoded(url.password);
  const found = [user, password, url.username, url.password, ...(user && password ? [`${user}:${password}`] : []), ...url.searchParams.values()];
  if (parts === 'url-path' && url.pathname !== '/') found.push(url.pathname, decoded(url.pathname), url.pathname.slice(1));
  return found;
}

/**
 * Header and query values that are plain numbers or JSON keywords (`?limit=1000`, `X-Debug: true`) are not
 * credentials, and masking them would mangle every JSON answer; an `x-secret` value is masked whatever it is.
 */
const NOT_CREDENTIALS = /^(?:-?\d+(?:\.\d+)?|true|false|null)$/;

/** The values of the `${VAR}`s written in `text` that went into one of its secret parts: an error may show such a value alone. */
function variablesFilling(text: string, secret: readonly string[], env: EnvironmentProvider): string[] {
  return findVariableReferences(text).flatMap(({ name }) => {
    const value = env.lookup(name)?.value;
    return value && secret.some((part) => part.includes(value)) ? [value] : [];
  });
}

const documentSecrets = new WeakMap<object, { env: EnvironmentProvider; secrets: readonly string[] }>();

/**
 * Every resolved value in a secret place of one document, as the schema says where those are (see
 * `x-secret`, `x-secret-parts` and `x-secret-pair` in jsonSchema.ts): a new secret key in the schema is
 * collected with no other change. A value that still holds an unresolved `${VAR}` is not a value yet.
 */
export function collectDocumentSecrets(document: ConfigDocument, env: EnvironmentProvider, schema: JsonSchema = integrationSchema as JsonSchema): readonly string[] {
  const cached = documentSecrets.get(document.yaml);
  if (cached && cached.env === env) return cached.secrets;
  const found: string[] = [];
  const resolved = (node: unknown): string | undefined => (isScalar(node) && node.value !== null && node.value !== undefined ? resolveVariables(String(node.value), env).value : undefined);
  walkWithSchema(document, schema, ({ node, schema: at, path }) => {
    const parts = secretParts(at);
    const value = parts && resolved(node);
    if (!parts || value === undefined) return;
    const written = String((node as { value: unknown }).value);
    if (parts === 'variables' && !hasVariableReference(written)) return;
    const whole = parts === 'value' || parts === 'variables';
    const secret = (whole ? [value, ...urlSecrets(value, 'url')] : urlSecrets(value, parts)).filter((part) => at?.['x-secret'] || !NOT_CREDENTIALS.test(part));
    found.push(...secret, ...variablesFilling(written, secret, env));
    const pairKey = at?.['x-secret-pair'];
    const parent = pairKey ? document.yaml.getIn(path.slice(0, -1), true) : undefined;
    const pair = isMap(parent) ? resolved(parent.get(pairKey, true)) : undefined;
    if (pair !== undefined) found.push(`${pair}:${value}`);
  });
  const secrets = [...new Set(found.filter((value) => value.length >= MIN_SECRET_LENGTH && !hasVariableReference(value)))];
  documentSecrets.set(document.yaml, { env, secrets });
  return secrets;
}
