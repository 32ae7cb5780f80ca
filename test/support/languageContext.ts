import { parseConfigFile, type ConfigFile } from '../../src/core/configFile';
import { LayeredEnvironment } from '../../src/core/env';
import type { JsonSchema } from '../../src/core/jsonSchema';
import { integrationSchema } from '../../src/core/schema';
import { collectDocumentSecrets } from '../../src/core/secrets';
import { WorkspaceIndex } from '../../src/core/workspaceIndex';
import type { LanguageContext } from '../../src/language/context';

export interface FakeWorkspace {
  /** Integration files by URI. */
  files?: Record<string, string>;
  /** Variables per origin, nearest first: `{ '/ws/.env': { TOKEN: 'x' }, 'process environment': {...} }`. */
  env?: Record<string, Record<string, string>>;
  /** Other files a feature may read (`.env` files), by URI. */
  texts?: Record<string, string>;
  /** Where a document's `.env` lives; default `file:///ws/.env`. */
  dotEnvUri?: string;
}

export const DOC_URI = 'file:///ws/.simone/integrations/test.yaml';
export const DOT_ENV_URI = 'file:///ws/.env';

/** A LanguageContext over real parsed files, a real WorkspaceIndex and a real LayeredEnvironment. */
export function languageContext(workspace: FakeWorkspace = {}): LanguageContext & { parsed: Map<string, ConfigFile> } {
  const parsed = new Map(Object.entries(workspace.files ?? {}).map(([uri, text]) => [uri, parseConfigFile(uri, text)]));
  const env = new LayeredEnvironment(Object.entries(workspace.env ?? {}).map(([origin, values]) => ({ origin, values: new Map(Object.entries(values)) })));
  return {
    parsed,
    index: WorkspaceIndex.of(parsed.values()),
    file: (uri) => parsed.get(uri),
    env,
    schema: integrationSchema as JsonSchema,
    dotEnvUri: () => workspace.dotEnvUri ?? DOT_ENV_URI,
    readText: (uri) => workspace.texts?.[uri],
    secretValues: () => [...parsed.values()].flatMap((file) => file.documents.flatMap((document) => collectDocumentSecrets(document, env))),
  };
}

/** One document at DOC_URI plus other files, with the context that indexes them all. */
export function workspaceWith(text: string, workspace: FakeWorkspace = {}): { file: ConfigFile; ctx: ReturnType<typeof languageContext> } {
  const ctx = languageContext({ ...workspace, files: { ...workspace.files, [DOC_URI]: text } });
  return { file: ctx.parsed.get(DOC_URI) as ConfigFile, ctx };
}
