/** The Simone messages between the editor's client and the language server, beside LSP's own. */

/**
 * Client to server: the names of the variables kept in the editor's secret storage. Only names travel (LSP traces
 * log every message); the server treats them as defined with a value it does not see.
 */
export const SECRET_NAMES_NOTIFICATION = 'simone/secretNames';

export interface SecretNamesParams {
  names: string[];
}
