import type { ConfigFile } from '../core/configFile';
import type { EnvironmentProvider } from '../core/env';
import type { JsonSchema } from '../core/jsonSchema';
import type { WorkspaceIndex } from '../core/workspaceIndex';

/**
 * What every language feature may read: the open document is passed on its own;
 * everything else (other files, the environment, `.env` files) comes through here,
 * so the same functions serve the server, tests and any other host.
 */
export interface LanguageContext {
  /** Every integration file of the workspace, open or on disk. */
  index: WorkspaceIndex;
  /** A parsed file by URI (open documents first, else from disk). */
  file(uri: string): ConfigFile | undefined;
  env: EnvironmentProvider;
  schema: JsonSchema;
  /** The `.env` file a literal secret should move to, for a document (quick fix). */
  dotEnvUri(documentUri: string): string | undefined;
  /** Reads a file's text (for `.env` edits); undefined when it does not exist. */
  readText(uri: string): string | undefined;
  /** Every value that fills a secret place in any file of the workspace (`collectDocumentSecrets`): hovers never show them. */
  secretValues(): Iterable<string>;
}
