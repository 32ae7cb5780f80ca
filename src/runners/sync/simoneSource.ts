import { createHash } from 'node:crypto';
import { join, relative, sep } from 'node:path';
import type { WorkspaceFileSystem } from '../../core/fileSystem';
import type { SyncTableSettings } from '../../core/model';
import type { SimoneEntity, SimoneProject } from '../../core/simone/entities';
import { readSimoneProject } from '../../core/simone/readProject';
import type { SimoneEntitySet } from '../../core/simoneEntitySets';
import { syncFailure } from './syncFailure';
import { filterText, resolveColumns, type SourceRow, type SyncSource } from './syncSource';

type Field = [name: string, type: string, value: (entity: SimoneEntity, projectFolder: string) => unknown];

const pathIn = (folder: string, path: string) => relative(folder, path).split(sep).join('/');
const common = (idField: string, first: Field[], last: Field[]): Field[] => [
  ['id', 'text', (entity) => entity.id],
  // The front matter's own id field, always filled (from the file name when the front matter lacks it).
  [idField, 'text', (entity) => entity.id],
  ...first,
  ['title', 'text', (entity) => entity.title],
  ['status', 'text', (entity) => entity.status],
  ...last,
  ['done', 'boolean', (entity) => entity.done],
  ['file_path', 'text', (entity, folder) => pathIn(folder, entity.filePath)],
  ['folder', 'text', (entity, folder) => pathIn(folder, entity.folder)],
];

const ID_FIELDS: Record<SimoneEntitySet, string> = { milestones: 'milestone_id', sprints: 'sprint_sequence_id', tasks: 'task_id' };

/** The typed columns of each entity set; every other front matter field follows as an extra column. */
const FIELDS: Record<SimoneEntitySet, Field[]> = {
  milestones: common(ID_FIELDS.milestones, [], [['last_updated', 'text', (e) => (e.kind === 'milestone' ? e.lastUpdated : undefined)]]),
  sprints: common(ID_FIELDS.sprints, [['milestone_id', 'text', (e) => (e.kind === 'sprint' ? e.milestoneId : undefined)]], [['goal', 'text', (e) => (e.kind === 'sprint' ? e.goal : undefined)]]),
  tasks: common(ID_FIELDS.tasks, [['sprint_id', 'text', (e) => (e.kind === 'task' ? e.sprintId : undefined)]], [
    ['complexity', 'text', (e) => (e.kind === 'task' ? e.complexity : undefined)],
    ['last_updated', 'text', (e) => (e.kind === 'task' ? e.lastUpdated : undefined)],
  ]),
};

/** One PostgreSQL type for a front matter field across every file: the narrowest that holds all its values. */
function inferType(values: unknown[]): string {
  const present = values.filter((value) => value !== null && value !== undefined);
  if (present.length && present.every((value) => typeof value === 'boolean')) return 'boolean';
  if (present.length && present.every((value) => Number.isSafeInteger(value))) return 'bigint';
  if (present.length && present.every((value) => typeof value === 'number')) return 'double precision';
  if (present.every((value) => typeof value === 'string')) return 'text';
  return 'jsonb';
}

function asText(value: unknown, type: string): string | null {
  if (value === null || value === undefined) return null;
  if (type === 'jsonb') return JSON.stringify(value);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/**
 * A Simone entity set as a sync source: the typed fields, `done`, paths relative to the workspace folder, and the
 * whole front matter as extra columns. A project is small, so its rows are built in memory and hashed here.
 */
export function simoneSource(project: SimoneProject, set: SimoneEntitySet, projectFolder: string, settings: SyncTableSettings): SyncSource {
  const entities: SimoneEntity[] = project[set];
  const fields = FIELDS[set];
  const typed = new Set(fields.map(([name]) => name));
  const extras = [...new Set(entities.flatMap((entity) => Object.keys(entity.frontMatter)))].filter((name) => !typed.has(name)).sort();
  const extraTypes = new Map(extras.map((name) => [name, inferType(entities.map((entity) => entity.frontMatter[name]))]));
  const available = [...fields.map(([name, type]) => ({ name, type })), ...extras.map((name) => ({ name, type: extraTypes.get(name) ?? 'text' }))];
  // The key defaults to `id`, or to the set's own id field when `columns` keeps only that one.
  const keepsId = !settings.columns || 'id' in settings.columns;
  const { columns, keyColumns } = resolveColumns(available, settings, [keepsId ? 'id' : ID_FIELDS[set]], true);

  const fieldValue = (entity: SimoneEntity, name: string): unknown => {
    const field = fields.find(([fieldName]) => fieldName === name);
    return field ? field[2](entity, projectFolder) : entity.frontMatter[name];
  };
  const textOf = (entity: SimoneEntity, name: string, type: string) => asText(fieldValue(entity, name), type);
  const filters = Object.entries(settings.filter ?? {}).map(([name, allowed]) => ({ name, type: available.find((column) => column.name === name)?.type ?? 'text', allowed: allowed.map(filterText) }));
  // A jsonb field prints as JSON; filter on what PostgreSQL would print for it.
  const kept = entities.filter((entity) => filters.every((filter) => filter.allowed.includes(filter.type === 'jsonb' ? filterText(fieldValue(entity, filter.name)) : textOf(entity, filter.name, filter.type))));
  const rows: SourceRow[] = kept.map((entity) => {
    const values = columns.map((column) => textOf(entity, column.source, column.type));
    const keyTexts = keyColumns.map((column) => textOf(entity, column.source, column.type));
    if (keyTexts.some((text) => text === null)) throw syncFailure('source', `${settings.source}: ${entity.filePath} has no value for key ${keyColumns.map((c) => c.source).join(', ')}`);
    const key = keyTexts.length === 1 ? (keyTexts[0] as string) : JSON.stringify(keyTexts);
    // Only present values count: a field that appears in (or leaves) other files changes no hash of this row.
    const content = columns.flatMap((column, index) => (values[index] === null ? [] : [`${column.target}:${column.type}`, values[index]]));
    return { key, hash: createHash('md5').update(JSON.stringify(content)).digest('hex'), values };
  });

  async function* inBatches<T>(items: T[], size: number): AsyncGenerator<T[]> {
    for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
  }
  return {
    columns,
    keyColumns,
    // Two files may carry the same id: the sync checks.
    uniqueKeys: false,
    count: async () => rows.length,
    keyHashes: (batchSize) => inBatches(rows.map(({ key, hash }) => ({ key, hash })), batchSize),
    rows: (batchSize) => inBatches(rows, batchSize),
    rowsByKeys: async (keys) => {
      const wanted = new Set(keys);
      return rows.filter((row) => wanted.has(row.key));
    },
  };
}

/**
 * The entity set `settings.source` of the project in `projectFolder` as a sync source, with the files left out for a
 * problem (as warnings). With `delete: propagate` or `mode: full` such a file fails the sync instead: a file left out
 * would look deleted, or vanish from the rewrite.
 */
export function readSimoneSource(settings: SyncTableSettings, projectFolder: string, fileSystem?: WorkspaceFileSystem): { source: SyncSource; warnings: string[] } {
  const project = readSimoneProject(join(projectFolder, '.simone'), fileSystem);
  const warnings = project.problems.map((problem) => `${problem.file}:${problem.line}: ${problem.message}`);
  if (warnings.length && (settings.delete === 'propagate' || settings.mode === 'full')) {
    const losing = settings.mode === 'full' ? 'full rewrite' : 'delete';
    throw syncFailure('source', `${settings.source}: the Simone project has files that cannot be read, so a ${losing} could lose their rows: ${warnings.join('; ')}`);
  }
  return { source: simoneSource(project, settings.source as SimoneEntitySet, projectFolder, settings), warnings };
}
