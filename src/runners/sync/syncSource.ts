import type { SyncTableSettings } from '../../core/model';
import { syncFailure } from './syncFailure';

/** A column as it lands in the target: source name, target name, PostgreSQL type. */
export interface SyncColumn {
  source: string;
  target: string;
  type: string;
}

/** A key (as text: the value of a single key column, or a JSON array of several) and the hash of the row's content. */
export interface KeyHash {
  key: string;
  hash: string;
}

/** A row to write: its values as PostgreSQL text, in the order of the source's columns. */
export interface SourceRow extends KeyHash {
  values: Array<string | null>;
}

/**
 * Where a source database stood when a sync started reading it: rows written later carry a newer transaction id.
 * `identity` names the server and its timeline, the database, the table and the exact key/hash query, so a mark is
 * only ever compared with the same source read the same way.
 */
export interface SavedMark {
  identity: string;
  /** The oldest transaction still running then (64-bit, as text): everything older had ended. */
  xid: string;
}

/** A mark just taken, with how far the source's transaction ids have got. */
export interface SourceMark extends SavedMark {
  /** The next transaction id (64-bit, as text). */
  nextXid: string;
}

/** The source database's own record of which rows changed: PostgreSQL stamps each row version with its writer's id. */
export interface ChangeTracking {
  /** Where the source stands now; undefined when it cannot tell (the role may not read the server's identity). */
  mark(): Promise<SourceMark | undefined>;
  /**
   * The pairs of the rows written at or after `since` (and maybe a few older ones), when `since` was taken from the
   * same source (`now` is its current mark) and is not too far back to tell; else undefined.
   */
  changedSince(since: SavedMark, now: SourceMark): KeyHashSource | undefined;
}

/** Where a sync reads keys and content hashes from. */
export interface KeyHashSource {
  /** True when the source itself guarantees one row per key and no missing key (a table's primary key). */
  readonly uniqueKeys: boolean;
  /** For a table: one self-contained `SELECT key, hash …` (no parameters), which the database can run or `COPY`. */
  readonly keyHashQuery?: string;
  /** Every row's key and hash, in any order. */
  keyHashes(batchSize: number): AsyncIterable<KeyHash[]>;
}

/** What a sync reads from: a Simone entity set or a table. */
export interface SyncSource extends KeyHashSource {
  readonly columns: SyncColumn[];
  /** The key columns, among `columns`. */
  readonly keyColumns: SyncColumn[];
  /** For a plain table keyed by its primary key: lets an incremental sync read only the rows changed since its last run. */
  readonly changeTracking?: ChangeTracking;
  count(): Promise<number>;
  /** Every row, in any order. */
  rows(batchSize: number): AsyncIterable<SourceRow[]>;
  /** The rows with these keys (fewer if some are gone). */
  rowsByKeys(keys: string[]): Promise<SourceRow[]>;
}

/** A filter value as PostgreSQL prints it (`true`, `42`, `done`); null matches a missing value. */
export const filterText = (value: unknown): string | null => (value === null || value === undefined ? null : typeof value === 'object' ? JSON.stringify(value) : String(value));

/**
 * Applies `columns` (which source columns, under which target names) and `key` to the columns a source has.
 * `lenient` accepts listed columns the source does not know (a front matter field no file has yet) as text.
 */
export function resolveColumns(
  available: Array<{ name: string; type: string }>,
  settings: Pick<SyncTableSettings, 'columns' | 'key' | 'filter' | 'source'>,
  defaultKey: string[],
  lenient: boolean,
): { columns: SyncColumn[]; keyColumns: SyncColumn[] } {
  const byName = new Map(available.map((column) => [column.name, column]));
  const known = () => available.map((column) => column.name).join(', ');
  const mapping = settings.columns ?? Object.fromEntries(available.map((column) => [column.name, column.name]));
  const columns = Object.entries(mapping).map(([source, target]) => {
    const column = byName.get(source);
    if (!column && !lenient) throw syncFailure('config', `${settings.source} has no column "${source}" (columns: ${known()})`);
    return { source, target, type: column?.type ?? 'text' };
  });
  const key = settings.key?.length ? settings.key : defaultKey;
  if (key.length === 0) throw syncFailure('config', `${settings.source} has no primary key: give "key" for this sync`);
  const keyColumns = key.map((name) => {
    const column = columns.find((candidate) => candidate.source === name);
    if (!column) throw syncFailure('config', `key column "${name}" of ${settings.source} is not among the synced columns`);
    return column;
  });
  for (const column of Object.keys(settings.filter ?? {})) {
    if (!byName.has(column) && !lenient) throw syncFailure('config', `filter column "${column}" is not a column of ${settings.source} (columns: ${known()})`);
  }
  return { columns, keyColumns };
}
