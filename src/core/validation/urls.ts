import { isScalar } from 'yaml';
import type { JsonSchema } from '../jsonSchema';
import { resolveVariables } from '../env';
import { isAbsoluteUrl } from '../urlJoin';
import { mapOf, pairOf, stringScalar, valueOf } from '../yamlNodes';
import type { Rule } from './rule';

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Keys under which an integration's `auth` is sent along with the request. */
const AUTHENTICATED_PATHS = new Set(['base_url', 'endpoints', 'health_check', 'publishers']);

/** `http://` or `amqp://` to a non-loopback host while credentials travel with it. */
export const insecureUrls: Rule = {
  node({ file, env, report }, { node, schema: nodeSchema, path }, document) {
      if (!isScalar(node) || typeof node.value !== 'string' || !isUrlValued(nodeSchema, node.value)) return;
      const resolved = resolveVariables(node.value, env);
      if (resolved.unresolved.length) return;
      let url: URL;
      try {
        url = new URL(resolved.value);
      } catch {
        return;
      }
      if (url.protocol !== 'http:' && url.protocol !== 'amqp:') return;
      if (isLoopback(url.hostname)) return;
      const section = path[1];
      const hasAuth = () => mapOf(valueOf(document.body, 'auth')) !== undefined;
      const sendsAuth = url.username !== '' || url.password !== '' || path[path.length - 1] === 'token_url' || (typeof section === 'string' && AUTHENTICATED_PATHS.has(section) && hasAuth());
      if (!sendsAuth) return;
      const secure = url.protocol === 'http:' ? 'https://' : 'amqps://';
      report('insecure-url', `${url.protocol}//${url.host} is not encrypted, yet credentials are sent to it: use ${secure}.`, file.rangeOf(node));
  },
};

/** URL-typed values, and event destinations written as URLs. */
function isUrlValued(schema: JsonSchema | undefined, value: string): boolean {
  if (schema?.format === 'uri' || schema?.format === 'uri-template' || schema?.format === 'amqp-uri') return true;
  return schema?.['x-reference'] === 'destination' && isAbsoluteUrl(value);
}

/** Relative endpoint paths need a base_url to be joined to. */
export const relativeEndpointsNeedBase: Rule = {
  file({ file, report }) {
  for (const document of file.documents) {
    const body = document.body;
    if (document.kind !== 'integration' || pairOf(body, 'base_url')) continue;
    for (const pair of mapOf(valueOf(body, 'endpoints'))?.items ?? []) {
      const value = stringScalar(isScalar(pair.value) ? pair.value : valueOf(mapOf(pair.value), 'url'));
      if (typeof value?.value === 'string' && !/^[a-z][a-z0-9+.-]*:/i.test(value.value) && !value.value.includes('${')) {
        report('url-invalid', `"${value.value}" is a relative path, and this integration has no base_url to join it to.`, file.rangeOf(value));
      }
    }
  }
  },
};
