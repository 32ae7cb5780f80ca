import { createHash } from 'node:crypto';
import type { SyncTableSettings } from '../../core/model';
import { streamQuery } from './cursor';
import { keyMatchSql, keyTextSql, sqlLiteral } from './sqlKeys';
import { qualifiedName, quoteIdentifier, type SqlSession } from './sqlConnection';
import { syncFailure } from './syncFailure';
import { filterText, resolveColumns, type ChangeTracking, type KeyHash, type KeyHashSource, type SavedMark, type SourceMark, type SourceRow, type SyncSource } from './syncSource';

/** The columns of a table (name and full type, e.g. `numeric(10,2)`), in table order; empty when it does not exist. */
export async function tableColumns(session: SqlSession, schema: string, table: string): Promise<Array<{ name: string; type: string }>> {
  return session.query<{ name: string; type: string }>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a
     WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [qualifiedName(schema, table)],
  );
}

async function primaryKey(session: SqlSession, schema: string, table: string): Promise<string[]> {
  const rows = await session.query<{ name: string }>(
    `SELECT a.attname AS name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
     WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)`,
    [qualifiedName(schema, table)],
  );
  return rows.map((row) => row.name);
}

/** Transaction ids are 32 bits on rows and wrap around: "at or after" is a comparison on the circle. */
const XID_SPACE = 2n ** 32n;
/** Row ids within half the circle of a mark are placed before or after it. */
const XID_HALF = 2n ** 31n;
/** A mark older than this is not used (a server keeps far fewer live ids: it freezes rows long before). */
const MARK_HORIZON = 2n ** 30n;

/**
 * Rows whose version was written at or after transaction `xid`. A row's `xmin` keeps its writer's id even once frozen,
 * and any change to a row writes a new version; a frozen row old enough to wrap around only comes along needlessly.
 */
const writtenSince = (xid: string) => `((xmin::text::bigint - ${BigInt(xid) % XID_SPACE}) & ${XID_SPACE - 1n}) < ${XID_HALF}`;

/**
 * Where this session's snapshot stands. The identity names the server and its timeline (a point-in-time restore or a
 * promotion starts a new one, and may bring transaction ids back below a saved mark), the database and the table.
 */
async function currentMark(session: SqlSession, relation: string, reading: string): Promise<SourceMark | undefined> {
  const [row] = await session.query<{ system: string | null; timeline: string | null; database: string; relation: string; xid: string; next: string }>(
    `SELECT CASE WHEN has_function_privilege('pg_control_system()', 'EXECUTE') THEN (SELECT system_identifier::text FROM pg_control_system()) END AS system,
       CASE WHEN has_function_privilege('pg_control_checkpoint()', 'EXECUTE') THEN (SELECT timeline_id::text FROM pg_control_checkpoint()) END AS timeline,
       (SELECT oid::text FROM pg_database WHERE datname = current_database()) AS database, to_regclass($1)::oid::text AS relation,
       txid_snapshot_xmin(txid_current_snapshot())::text AS xid, txid_snapshot_xmax(txid_current_snapshot())::text AS next`,
    [relation],
  );
  if (!row?.system || !row.timeline) return undefined;
  const query = createHash('sha256').update(reading).digest('hex').slice(0, 32);
  return { identity: `${row.system}/${row.timeline}/${row.database}/${row.relation}/${query}`, xid: row.xid, nextXid: row.next };
}

/**
 * Whether the rows a table shows change only by being written: a plain table without child tables (attaching or
 * detaching one changes the rows without writing any) and without row-level security (a policy change does too).
 * Views and foreign tables keep no row versions at all.
 */
async function rowsChangeOnlyByWrites(session: SqlSession, relation: string): Promise<{ tracked: boolean; inherited: boolean }> {
  const [row] = await session.query<{ kind: string; children: boolean; secured: boolean }>(
    'SELECT relkind::text AS kind, relhassubclass AS children, relrowsecurity AS secured FROM pg_class WHERE oid = to_regclass($1)',
    [relation],
  );
  const inherited = row?.kind === 'r' && row.children;
  return { tracked: row?.kind === 'r' && !row.children && !row.secured, inherited };
}

/**
 * A table read through SQL. Keys and content hashes are computed by the source database (a 64-bit hash of the row's
 * text form), so finding what changed moves only keys and hashes, never whole rows; rows are streamed with a cursor.
 */
export async function openTableSource(session: SqlSession, schema: string, table: string, settings: SyncTableSettings, label: string): Promise<SyncSource> {
  const available = await tableColumns(session, schema, table);
  if (available.length === 0) throw syncFailure('source', `${label}: table ${schema}.${table} does not exist`);
  const primary = await primaryKey(session, schema, table);
  const { columns, keyColumns } = resolveColumns(available, settings, primary, false);

  const relation = qualifiedName(schema, table);
  const texts = columns.map((column) => `(${quoteIdentifier(column.source)})::text`);
  // Only present values count, each under its target name and type (as for Simone rows): a column added upstream,
  // empty in most rows, changes only the rows that hold a value in it; new `columns` (names or types) rewrite every
  // row. array_to_string drops the NULL elements; each element `"name:type"='value'` (quoted both sides) reads one
  // way only, so two different rows never hash the same text.
  const elements = columns.map((column, index) => `${sqlLiteral(`${quoteIdentifier(`${column.target}:${column.type}`)}=`)} || quote_literal(${texts[index]})`);
  // hashtextextended (the hash behind hash partitioning, stable across versions) costs half of md5 and makes a
  // shorter pair to move and join; 64 bits leave a changed row unnoticed with odds of 2^-64.
  const hash = `hashtextextended(array_to_string(ARRAY[${elements.join(', ')}], ','), 0)::text`;
  const key = keyTextSql(keyColumns.map((column) => column.source));
  // Filter values are written as literals, so every query (a COPY too) stands alone without parameters.
  const filterConditions = Object.entries(settings.filter ?? {}).map(([column, allowed]) => {
    const texts = allowed.map(filterText);
    const values = texts.filter((text): text is string => text !== null);
    const match = `(${quoteIdentifier(column)})::text = ANY(ARRAY[${values.map(sqlLiteral).join(', ')}]::text[])`;
    return texts.includes(null) ? `(${match} OR ${quoteIdentifier(column)} IS NULL)` : match;
  });
  const where = (extra: string[]) => (filterConditions.length + extra.length ? ` WHERE ${[...filterConditions, ...extra].join(' AND ')}` : '');
  const keyColumnsBySource = keyColumns.map((column) => ({ name: column.source, type: column.type }));
  const toRow = (row: { key: string; hash: string; [column: string]: string | null }): SourceRow => ({ key: row.key, hash: row.hash, values: columns.map((_, index) => row[`c${index}`]) });
  const selectRow = `SELECT ${key} AS key, ${hash} AS hash, ${texts.map((text, index) => `${text} AS c${index}`).join(', ')} FROM ${relation}`;
  const { tracked, inherited } = await rowsChangeOnlyByWrites(session, relation);
  // A parent's primary key does not hold across its child tables (a partitioned table's does).
  const uniqueKeys = !inherited && primary.length === keyColumns.length && keyColumns.every((column) => primary.includes(column.source));
  const pairsWhere = (extra: string[]): Required<KeyHashSource> => {
    const query = `SELECT ${key} AS key, ${hash} AS hash FROM ${relation}${where(extra)}`;
    return { keyHashQuery: query, uniqueKeys, keyHashes: (batchSize) => streamQuery<KeyHash>(session, query, [], batchSize) };
  };
  const pairs = pairsWhere([]);
  /** How far the source has moved on since a mark: negative when the mark is from its future (a restored copy). */
  const distance = (since: SavedMark, now: SourceMark) => BigInt(now.nextXid) - BigInt(since.xid);
  // Reading only changed rows needs unique keys: the unchanged rest is then known to be unique and complete.
  const changeTracking: ChangeTracking | undefined =
    uniqueKeys && tracked
      ? {
          mark: () => currentMark(session, relation, pairs.keyHashQuery),
          changedSince: (since, now) => (since.identity === now.identity && distance(since, now) >= 0n && distance(since, now) < MARK_HORIZON ? pairsWhere([writtenSince(since.xid)]) : undefined),
        }
      : undefined;

  return {
    columns,
    keyColumns,
    ...pairs,
    changeTracking,
    async count() {
      const [row] = await session.query<{ count: string }>(`SELECT count(*) AS count FROM ${relation}${where([])}`);
      return Number(row.count);
    },
    async *rows(batchSize) {
      for await (const batch of streamQuery<{ key: string; hash: string }>(session, `${selectRow}${where([])}`, [], batchSize)) yield batch.map(toRow);
    },
    async rowsByKeys(keys) {
      const rows = await session.query<{ key: string; hash: string }>(`${selectRow}${where([keyMatchSql(keyColumnsBySource, 1)])}`, [keys]);
      return rows.map(toRow);
    },
  };
}
