import { keyMatchSql, keyTextSql } from './sqlKeys';
import { qualifiedName, quoteIdentifier, type SqlSession } from './sqlConnection';
import type { SourceRow, SyncColumn } from './syncSource';
import { tableColumns } from './tableSource';

interface TargetColumn {
  name: string;
  type: string;
}

/**
 * The table a sync writes: created when missing (columns typed from the source, the key as primary key) in its
 * schema (created too), and given any column the source gained since. Existing columns keep their types.
 */
export class TargetTable {
  private constructor(
    private readonly session: SqlSession,
    private readonly relation: string,
    /** Target columns in the source's column order. */
    readonly columns: TargetColumn[],
    private readonly keyColumns: TargetColumn[],
    readonly created: boolean,
  ) {}

  static async prepare(session: SqlSession, schema: string, table: string, columns: SyncColumn[], keyColumns: SyncColumn[], dryRun: boolean): Promise<TargetTable> {
    const relation = qualifiedName(schema, table);
    const existing = await tableColumns(session, schema, table);
    const types = new Map(existing.map((column) => [column.name, column.type]));
    // A dry run looks at the table as it would be, without creating anything.
    if (!dryRun) {
      await session.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schema)}`);
      if (existing.length === 0) {
        const definitions = columns.map((column) => `${quoteIdentifier(column.target)} ${column.type}`);
        await session.query(`CREATE TABLE ${relation} (${definitions.join(', ')}, PRIMARY KEY (${keyColumns.map((column) => quoteIdentifier(column.target)).join(', ')}))`);
      } else {
        for (const column of columns.filter((candidate) => !types.has(candidate.target))) {
          await session.query(`ALTER TABLE ${relation} ADD COLUMN ${quoteIdentifier(column.target)} ${column.type}`);
        }
      }
    }
    const target = (column: SyncColumn): TargetColumn => ({ name: column.target, type: types.get(column.target) ?? column.type });
    return new TargetTable(session, relation, columns.map(target), keyColumns.map(target), existing.length === 0);
  }

  async rowCount(): Promise<number> {
    if (this.created) return 0;
    const [row] = await this.session.query<{ count: string }>(`SELECT count(*) AS count FROM ${this.relation}`);
    return Number(row.count);
  }

  async truncate(): Promise<void> {
    await this.session.query(`TRUNCATE ${this.relation}`);
  }

  /** Writes rows, first removing any row with the same key (so it works with or without a unique key). */
  async write(rows: SourceRow[], replaceExisting: boolean): Promise<void> {
    if (rows.length === 0) return;
    if (replaceExisting) await this.delete(rows.map((row) => row.key));
    const names = this.columns.map((column) => quoteIdentifier(column.name)).join(', ');
    const casts = this.columns.map((column, index) => `x.c${index}::${column.type}`).join(', ');
    const arrays = this.columns.map((_, index) => `$${index + 1}::text[]`).join(', ');
    const aliases = this.columns.map((_, index) => `c${index}`).join(', ');
    await this.session.query(
      `INSERT INTO ${this.relation} (${names}) SELECT ${casts} FROM unnest(${arrays}) AS x(${aliases})`,
      this.columns.map((_, index) => rows.map((row) => row.values[index])),
    );
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length) await this.session.query(`DELETE FROM ${this.relation} WHERE ${keyMatchSql(this.keyColumns, 1)}`, [keys]);
  }

  /** Current values (as text) of some rows, by key: for showing what an update changes. */
  async currentValues(keys: string[]): Promise<Map<string, Array<string | null>>> {
    if (this.created || keys.length === 0) return new Map();
    const key = keyTextSql(this.keyColumns.map((column) => column.name));
    const texts = this.columns.map((column, index) => `(${quoteIdentifier(column.name)})::text AS c${index}`).join(', ');
    const rows = await this.session.query<Record<string, string | null>>(`SELECT ${key} AS key, ${texts} FROM ${this.relation} WHERE ${keyMatchSql(this.keyColumns, 1)}`, [keys]);
    return new Map(rows.map((row) => [row.key as string, this.columns.map((_, index) => row[`c${index}`])]));
  }
}
