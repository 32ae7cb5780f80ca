/**
 * What a view model's update repaints: the rows that are new or look different, without those below another
 * changed row (repainting a row repaints what is below it). No `vscode` here: both views' models share it.
 */
export interface ComparableRow {
  readonly id: string;
  readonly parentId?: string;
}

/** The changed rows of `rows` against `previous`, by `signature` (what a TreeItem shows of a row). */
export function changedRows<R extends ComparableRow>(previous: ReadonlyMap<string, R>, rows: Iterable<R>, signature: (row: R) => string): string[] {
  const changed: string[] = [];
  for (const row of rows) {
    const old = previous.get(row.id);
    if (!old || signature(old) !== signature(row)) changed.push(row.id);
  }
  return changed;
}

/** Changed rows without their changed descendants. */
export function topmost(ids: readonly string[], rowOf: (id: string) => ComparableRow | undefined): string[] {
  const changed = new Set(ids);
  return ids.filter((id) => {
    for (let parent = rowOf(id)?.parentId; parent !== undefined; parent = rowOf(parent)?.parentId) if (changed.has(parent)) return false;
    return true;
  });
}
