import type { DatabaseIntegration, SyncTableSettings } from '../../core/model';

/** A `<connection>.[<schema>.]<table>` source: its connection and the rest; undefined for any other name. */
export function tableSourceName(source: string): { connection: string; table: string } | undefined {
  const [connection, ...rest] = source.split('.');
  return rest.length ? { connection, table: rest.join('.') } : undefined;
}

/** `schema.table` or `table` (in the connection's schema). */
export function splitTable(name: string, defaultSchema: string): { schema: string; table: string } {
  const parts = name.split('.');
  return parts.length >= 2 ? { schema: parts[0], table: parts.slice(1).join('.') } : { schema: defaultSchema, table: name };
}

/** Where a sync writes, and the id its state and lock go by. */
export function syncTarget(integration: DatabaseIntegration, settings: SyncTableSettings, connectionSchema: string): { schema: string; table: string; syncId: string } {
  const { schema, table } = splitTable(settings.target, connectionSchema);
  return { schema, table, syncId: `${integration.name}:${settings.source}->${settings.connection}.${schema}.${table}` };
}

/** Whether `earlier` writes the table that `source` (`<connection>.[<schema>.]<table>`) reads. */
export function feeds(integration: DatabaseIntegration, earlier: SyncTableSettings, source: string): boolean {
  const name = tableSourceName(source);
  if (name?.connection !== earlier.connection) return false;
  const schema = integration.connections.find((candidate) => candidate.name === name.connection)?.schema ?? 'public';
  const read = splitTable(name.table, schema);
  const written = splitTable(earlier.target, schema);
  return read.schema === written.schema && read.table === written.table;
}
