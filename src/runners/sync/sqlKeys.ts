import { quoteIdentifier } from './sqlConnection';

/** SQL for a row's key as text: the value of a single key column, or a JSON array of several (see SyncSource). */
export function keyTextSql(columns: string[], alias = ''): string {
  const prefix = alias ? `${alias}.` : '';
  const texts = columns.map((column) => `(${prefix}${quoteIdentifier(column)})::text`);
  return texts.length === 1 ? texts[0] : `jsonb_build_array(${texts.join(', ')})::text`;
}

/**
 * A condition that picks the rows whose key is among the text keys in parameter `$param` (a text array), cast to the
 * key columns' types so the table's index serves it.
 */
export function keyMatchSql(columns: Array<{ name: string; type: string }>, param: number, alias = ''): string {
  const prefix = alias ? `${alias}.` : '';
  if (columns.length === 1) return `${prefix}${quoteIdentifier(columns[0].name)} = ANY($${param}::text[]::${columns[0].type}[])`;
  const tuple = columns.map((column) => `${prefix}${quoteIdentifier(column.name)}`).join(', ');
  const decoded = columns.map((column, index) => `(keys.j->>${index})::${column.type}`).join(', ');
  return `(${tuple}) IN (SELECT ${decoded} FROM (SELECT unnest($${param}::text[])::jsonb AS j) keys)`;
}

/** A string literal; the `E''` form reads the same whatever the server's `standard_conforming_strings`. */
export const sqlLiteral = (text: string): string => `E'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
