import { isScalar } from 'yaml';
import { mapOf, scalarText, seqItems, stringScalar, valueOf } from '../yamlNodes';
import type { Rule } from './rule';

/** Webhook endpoints (outgoing, and incoming when a receiver is configured) must be signed. */
export const unsignedWebhooks: Rule = {
  file({ file, report }) {
  for (const document of file.documents) {
    if (document.kind !== 'integration' || scalarText(valueOf(document.body, 'type')) !== 'webhook') continue;
    const direction = valueOf(document.body, 'receiver') ? 'incoming and outgoing' : 'outgoing';
    for (const item of seqItems(valueOf(document.body, 'endpoints'))) {
      const endpoint = mapOf(item);
      if (!endpoint) continue;
      const secret = valueOf(endpoint, 'secret');
      const scheme = scalarText(valueOf(endpoint, 'signature'));
      const hasSecret = isScalar(secret) && secret.value !== null && String(secret.value) !== '';
      if (hasSecret && scheme !== 'none') continue;
      const name = scalarText(valueOf(endpoint, 'name')) ?? 'this endpoint';
      const at = stringScalar(valueOf(endpoint, 'name')) ?? endpoint;
      const why = scheme === 'none' ? 'has signature: none' : 'has no secret';
      report('webhook-unsigned', `Webhook endpoint "${name}" ${why}, so its ${direction} requests are not signed: anyone can forge them.`, file.rangeOf(at));
    }
  }
  },
};
