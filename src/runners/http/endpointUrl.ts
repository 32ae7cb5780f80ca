import type { EndpointSettings, RequestResponseIntegration } from '../../core/model';
import { UNPARSEABLE_URL } from '../../core/redactor';
import { resolveAgainstBase } from '../../core/urlJoin';
import { ClassifiedError } from '../errors';
import { fillPlaceholders } from './placeholders';

/**
 * The URL an endpoint calls: a relative endpoint is appended to `base_url`
 * (keeping the base's path, unlike `new URL(path, base)`), each `{param}`
 * filled URL-encoded; parameters used neither here nor in `usedElsewhere`
 * (the body) become query parameters. Bad or incomplete input is a config
 * error naming what is wrong.
 */
export function endpointUrl(
  integration: Pick<RequestResponseIntegration, 'name' | 'baseUrl'>,
  endpoint: EndpointSettings,
  params: Readonly<Record<string, string>> = {},
  usedElsewhere: ReadonlySet<string> = new Set(),
): URL {
  const template = resolveAgainstBase(endpoint.url, integration.baseUrl || undefined);
  if (template === undefined) {
    throw new ClassifiedError('config', `endpoint "${endpoint.name}" of "${integration.name}" is a relative path and the integration has no base_url`);
  }
  const used = new Set<string>(usedElsewhere);
  const filled = fillPlaceholders(template, params, endpoint.name, used, encodeURIComponent);
  let url: URL;
  try {
    url = new URL(filled);
  } catch {
    throw new ClassifiedError('config', `endpoint "${endpoint.name}": its URL ${UNPARSEABLE_URL}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ClassifiedError('config', `endpoint "${endpoint.name}": only http and https URLs can be called, not ${url.protocol}`);
  }
  for (const [name, value] of Object.entries(params)) {
    if (!used.has(name)) url.searchParams.append(name, value);
  }
  return url;
}
