import { UNPARSEABLE_URL } from '../../core/redactor';
import { resolveAgainstBase } from '../../core/urlJoin';
import { ClassifiedError } from '../errors';

/**
 * What a probe connects to or GETs: `reference` as it is when absolute, else a
 * path joined onto `base` (its path and query kept). Anything else is a config
 * error naming `what`; the caller's redaction takes out secrets in the URL.
 */
export function healthUrl(reference: string, base: string | undefined, what: string): URL {
  const resolved = resolveAgainstBase(reference, base);
  if (resolved === undefined) throw new ClassifiedError('config', `${what} "${reference}" is a path and there is no base URL to join it to`);
  try {
    return new URL(resolved);
  } catch {
    throw new ClassifiedError('config', `${what} ${UNPARSEABLE_URL}`);
  }
}
