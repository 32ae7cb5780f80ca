import { parseDocument } from 'yaml';
import { integrationSchema } from '../core/schema';
import type { IntegrationType } from '../core/model';
import { keyTemplate, plainFiller } from './yamlTemplate';

/**
 * A new integration file's text: the keys the schema requires for `type`, each with its example, named `name`
 * (what "Create Integration" writes; completion offers the same keys as snippets).
 */
export function integrationTemplate(type: IntegrationType, name: string): string {
  const definition = integrationSchema.definitions?.[type];
  if (!definition) throw new Error(`no schema definition for integration type ${type}`);
  const document = parseDocument(keyTemplate('integration', definition, integrationSchema, plainFiller).join('\n'));
  document.setIn(['integration', 'name'], name);
  document.commentBefore = ` A ${type} integration: hover a key for what it means, Ctrl+Space for the keys it can have.`;
  return document.toString();
}
