import { fillPlaceholders } from './placeholders';

/**
 * A configured body with `{param}` placeholders filled in every string value
 * (and key), so `title: "{title}"` takes `--param title=...`. Values are
 * substituted into the parsed structure, never into JSON text, so a parameter
 * cannot break the document.
 */
export function fillBody(body: unknown, params: Readonly<Record<string, string>>, endpointName: string, used: Set<string>): unknown {
  if (typeof body === 'string') return fillPlaceholders(body, params, endpointName, used);
  if (Array.isArray(body)) return body.map((item) => fillBody(item, params, endpointName, used));
  if (body && typeof body === 'object') {
    return Object.fromEntries(Object.entries(body).map(([key, value]) => [fillPlaceholders(key, params, endpointName, used), fillBody(value, params, endpointName, used)]));
  }
  return body;
}
