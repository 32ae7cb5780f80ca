/** Why a sync failed, in a form the CLI and the editor can act on; messages never hold secrets. */
export type SyncErrorKind = 'config' | 'connection' | 'source' | 'busy' | 'cancelled' | 'database';

export class SyncError extends Error {
  constructor(
    readonly kind: SyncErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'SyncError';
  }
}
