import type { PGlite } from '@electric-sql/pglite';
import type { ConnectionSettings, DatabaseIntegration } from '../../core/model';
import { openPglite, pgliteConnection } from './pgliteConnection';
import { openPostgresConnection } from './postgresConnection';
import type { SqlConnection } from './sqlConnection';
import { ClassifiedError, integrationSecrets, redact } from '../errors';
import { databaseErrorKind, syncFailure } from './syncFailure';

/** Where a connection points, for messages (redacted by the caller). */
function describeConnection(settings: ConnectionSettings): string {
  if (settings.type === 'pglite') return `pglite ${settings.path ?? '(no path)'}`;
  if (settings.url) return `postgresql ${settings.url}`;
  return `postgresql ${settings.user ?? ''}${settings.user ? '@' : ''}${settings.host ?? '127.0.0.1'}:${settings.port ?? 5432}/${settings.database ?? ''}`;
}

/** Caches an opening under `key`; should it fail, it is dropped (unless replaced meanwhile), so the next use tries again. */
function keepUnlessFailed<T>(cache: Map<string, Promise<T>>, key: string, opening: Promise<T>): Promise<T> {
  cache.set(key, opening);
  opening.catch(() => cache.get(key) === opening && cache.delete(key));
  return opening;
}

/**
 * The connections of one `database` integration, opened on first use and closed together.
 * Connections naming the same PGlite data folder share one database (a folder can be opened only once).
 */
export class ConnectionSet {
  private readonly opened = new Map<string, Promise<SqlConnection>>();
  private readonly pglites = new Map<string, Promise<PGlite>>();

  constructor(
    private readonly integration: DatabaseIntegration,
    private readonly timeoutMs = integration.timeoutMs,
  ) {}

  settings(name: string): ConnectionSettings {
    const settings = this.integration.connections.find((connection) => connection.name === name);
    if (!settings) throw syncFailure('config', `integration "${this.integration.name}" has no connection "${name}" (known: ${this.integration.connections.map((c) => c.name).join(', ') || 'none'})`);
    return settings;
  }

  /** The open connection; opened again when the last try failed or its session has gone since (a long-lived set). */
  get(name: string): Promise<SqlConnection> {
    const cached = this.opened.get(name);
    if (cached) {
      return cached.then((open) => {
        if (open.usable) return open;
        if (open.type === 'postgresql') open.close().catch(() => undefined);
        return this.reopen(name, cached);
      });
    }
    return this.reopen(name, undefined);
  }

  /** Opens `name` in place of `stale`, unless another caller already has. A failed open is not kept. */
  private reopen(name: string, stale: Promise<SqlConnection> | undefined): Promise<SqlConnection> {
    const current = this.opened.get(name);
    if (current !== stale && current) return current;
    return keepUnlessFailed(this.opened, name, this.open(this.settings(name)));
  }

  private async open(settings: ConnectionSettings): Promise<SqlConnection> {
    try {
      if (settings.type === 'postgresql') return await openPostgresConnection(settings, this.timeoutMs);
      if (!settings.path) throw syncFailure('config', `connection "${settings.name}" (pglite) needs a data folder "path"`);
      const path = settings.path;
      let db = this.pglites.get(path);
      if (!db || (await db.then((open) => open.closed, () => true))) db = keepUnlessFailed(this.pglites, path, openPglite(path));
      return pgliteConnection(settings, await db);
    } catch (error) {
      if (error instanceof ClassifiedError) throw error;
      // The shared redaction: passwords in any form, URL credentials, and secret query parameters (`?password=`).
      const reason = (error as Error).message || String(error);
      const message = redact(`cannot connect to "${settings.name}" (${describeConnection(settings)}): ${reason}`, integrationSecrets(this.integration));
      // A refused password needs new credentials, a refused connection may be gone on the next try.
      throw syncFailure('connection', message, databaseErrorKind(error));
    }
  }

  async close(): Promise<void> {
    const connections = await Promise.allSettled(this.opened.values());
    await Promise.allSettled(connections.flatMap((result) => (result.status === 'fulfilled' && result.value.type === 'postgresql' ? [result.value.close()] : [])));
    const pglites = await Promise.allSettled(this.pglites.values());
    await Promise.allSettled(pglites.flatMap((result) => (result.status === 'fulfilled' ? [result.value.close()] : [])));
    this.opened.clear();
    this.pglites.clear();
  }
}
