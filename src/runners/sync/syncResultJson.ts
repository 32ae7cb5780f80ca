import type { SyncIntegrationResult, SyncSamples } from './runSync';

export type SyncTableJson =
  | { ok: false; source: string; target: string; error: string; errorKind?: string }
  | {
      ok: true;
      source: string;
      target: string;
      inserted: number;
      updated: number;
      deleted: number;
      unchanged: number;
      durationMs: number;
      deletesIgnored: number;
      rowsCompared: number;
      samples?: SyncSamples;
      warnings?: string[];
    };

export interface SyncResultJson {
  integration: string;
  dryRun: boolean;
  ok: boolean;
  tables: SyncTableJson[];
}

/**
 * A sync's result as plain data: what `sync --format json` prints and the editor shows. A failed table keeps the
 * CLI's `errorKind`: the error's `code` (config, connection, source, busy, database), or `cancelled` for a cancel.
 */
export function syncResultJson(result: SyncIntegrationResult): SyncResultJson {
  return {
    integration: result.integration,
    dryRun: result.dryRun,
    ok: result.ok,
    tables: result.tables.map((table): SyncTableJson => {
      if (!table.ok) return { ok: false, source: table.source, target: table.target, error: table.error.message, errorKind: table.error.code ?? (table.error.kind === 'cancelled' ? 'cancelled' : undefined) };
      const { source, target, inserted, updated, deleted, unchanged, durationMs, deletesIgnored, rowsCompared, samples, warnings } = table;
      return { ok: true, source, target, inserted, updated, deleted, unchanged, durationMs, deletesIgnored, rowsCompared, ...(samples ? { samples } : {}), ...(warnings.length ? { warnings } : {}) };
    }),
  };
}
