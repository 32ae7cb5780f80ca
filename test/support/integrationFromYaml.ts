import { buildModel } from '../../src/core/buildModel';
import { parseConfigFile } from '../../src/core/configFile';
import { EMPTY_ENVIRONMENT } from '../../src/core/env';
import type { Integration } from '../../src/core/model';

/** The typed model of one `integration:` document, built the way the CLI builds it. */
export function integrationFromYaml<T extends Integration['type']>(type: T, text: string): Extract<Integration, { type: T }> {
  const file = parseConfigFile('/test/integration.yaml', text);
  const built = buildModel(file.documents[0], { uri: file.uri, env: EMPTY_ENVIRONMENT, folder: '/test' });
  if (built?.kind !== 'integration' || built.integration.type !== type) throw new Error(`not a ${type} integration:\n${text}`);
  return built.integration as Extract<Integration, { type: T }>;
}
