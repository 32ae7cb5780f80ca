import type { EndpointSettings, RequestResponseIntegration } from '../../core/model';
import { ClassifiedError } from '../errors';

const PLACEHOLDER = /\{([^{}/?#]+)\}/g;

/** The `{param}` names a template uses, in order. */
export function templateParams(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => match[1]);
}

/**
 * The URL an endpoint calls: a relative endpoint is appended to `base_url`
 * (keeping the base's path, unlike `new URL(path, base)`), each `{param}`
 * filled URL-encoded; parameters the template does not use become query
 * parameters. Bad or incomplete input is a config error naming what is wrong.
 */
export function endpointUrl(integration: Pick<RequestResponseIntegration, 'name' | 'baseUrl'>, endpoint: EndpointSettings, params: Readonly<Record<string, string>> = {}): URL {
  const isAbsolute = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint.url);
  if (!isAbsolute && !integration.baseUrl) {
    throw new ClassifiedError('config', `endpoint "${endpoint.name}" of "${integration.name}" is a relative path and the integration has no base_url`);
  }
  const template = isAbsolute ? endpoint.url : `${integration.baseUrl!.replace(/\/+$/, '')}/${endpoint.url.replace(/^\/+/, '')}`;
  const used = new Set<string>();
  const filled = template.replace(PLACEHOLDER, (_whole, name: string) => {
    const value = params[name];
    if (value === undefined) throw new ClassifiedError('config', `endpoint "${endpoint.name}" needs the parameter "${name}" (--param ${name}=...)`);
    used.add(name);
    return encodeURIComponent(value);
  });
  let url: URL;
  try {
    url = new URL(filled);
  } catch {
    throw new ClassifiedError('config', `endpoint "${endpoint.name}": "${template}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ClassifiedError('config', `endpoint "${endpoint.name}": only http and https URLs can be called, not ${url.protocol}`);
  }
  for (const [name, value] of Object.entries(params)) {
    if (!used.has(name)) url.searchParams.append(name, value);
  }
  return url;
}
