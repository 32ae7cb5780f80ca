import type { EndpointSettings } from '../../core/model';
import { placeholderNames } from '../../core/placeholders';

/** Every string of a configured body, keys included (fillBody fills them all). */
function bodyStrings(body: unknown): string[] {
  if (typeof body === 'string') return [body];
  if (Array.isArray(body)) return body.flatMap(bodyStrings);
  if (body && typeof body === 'object') return Object.entries(body).flatMap(([key, value]) => [key, ...bodyStrings(value)]);
  return [];
}

/** The parameters a call of the endpoint needs (the placeholders of its base URL, URL and body), each once, in that order. */
export function endpointParameters(endpoint: Pick<EndpointSettings, 'url' | 'body'>, baseUrl?: string): string[] {
  return [...new Set([baseUrl ?? '', endpoint.url, ...bodyStrings(endpoint.body)].flatMap(placeholderNames))];
}
