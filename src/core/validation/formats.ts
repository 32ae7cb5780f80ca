import { parseByteSize } from '../byteSize';
import type { DiagnosticCode } from '../diagnostic';
import { parseDuration } from '../duration';
import type { JsonSchema } from '../jsonSchema';
import { replacePlaceholders } from '../placeholders';
import { statusRangesProblem } from '../statusRanges';
import { isAbsoluteUrl } from '../urlJoin';


function parsesAs(url: string, protocols: string[]): boolean {
  try {
    const parsed = new URL(url);
    return protocols.includes(parsed.protocol) && parsed.hostname !== '';
  } catch {
    return false;
  }
}

/** A PostgreSQL connection URL as `pg` reads it: the host may be empty (the default socket, or `?host=`), also written `user@/db`. */
function isPostgresUrl(value: string): boolean {
  if (!/^postgres(?:ql)?:\/\//i.test(value)) return false;
  try {
    new URL(value.replace('@/', '@localhost/'));
    return true;
  } catch {
    return false;
  }
}

/** A value with a scheme (`x://`) must be an http(s) URL; anything else is a name or a path, checked elsewhere. */
const httpUnlessRelative = (value: unknown): boolean => typeof value !== 'string' || !isAbsoluteUrl(value) || parsesAs(value, ['http:', 'https:']);

/** Absolute http(s) URL or a path, either with `{param}` placeholders. */
export function isUrlTemplate(value: string): boolean {
  if (/\s/.test(value)) return false;
  const withoutParams = replacePlaceholders(value, () => 'x');
  if (/[{}]/.test(withoutParams)) return false;
  if (/^[a-z][a-z0-9+.-]*:/i.test(withoutParams)) return parsesAs(withoutParams, ['http:', 'https:']);
  return true;
}

/**
 * A format problem as a code and message, or undefined when the value fits its format.
 * `shown` gives the text as written (a `${VAR}` stays a reference), so no resolved secret reaches a message.
 */
export function checkFormat(schema: JsonSchema, value: unknown, shown: () => string = () => String(value)): { code: DiagnosticCode; message: string } | undefined {
  switch (schema.format) {
    case 'duration':
      return parseDuration(value) === undefined ? { code: 'duration-invalid', message: `"${shown()}" is not a duration: use 250ms, 30s, 5m, 1h, 1d, combinations such as 1m30s, or a number of seconds.` } : undefined;
    case 'uri':
      return typeof value === 'string' && parsesAs(value, ['http:', 'https:']) ? undefined : { code: 'url-invalid', message: `"${shown()}" is not an http(s) URL.` };
    case 'amqp-uri':
      return typeof value === 'string' && parsesAs(value, ['amqp:', 'amqps:']) ? undefined : { code: 'url-invalid', message: `"${shown()}" is not an amqp:// or amqps:// URL.` };
    case 'postgres-uri':
      return typeof value === 'string' && isPostgresUrl(value) ? undefined : { code: 'url-invalid', message: `"${shown()}" is not a postgres:// or postgresql:// URL.` };
    case 'queue-or-url':
      return httpUnlessRelative(value) ? undefined : { code: 'url-invalid', message: `"${shown()}" is not an http(s) URL: a destination is a queue name or an http(s) URL.` };
    case 'path-or-url':
      return httpUnlessRelative(value) ? undefined : { code: 'url-invalid', message: `"${shown()}" is not an http(s) URL: write a path (joined to the service's url) or an http(s) URL.` };
    case 'uri-template':
      return typeof value === 'string' && isUrlTemplate(value) ? undefined : { code: 'url-invalid', message: `"${shown()}" is not a URL or path template (placeholders are written {name}).` };
    case 'status-range': {
      const problem = statusRangesProblem(value)?.replace(String(value), shown());
      return problem ? { code: 'range-invalid', message: `${problem}.` } : undefined;
    }
    case 'byte-size':
      return parseByteSize(value) === undefined ? { code: 'schema-type', message: `"${shown()}" is not a size such as 512KB or 1MB.` } : undefined;
    default:
      return undefined;
  }
}
