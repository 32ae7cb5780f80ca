/** Inclusive ranges of HTTP statuses, as `health_check.expect_status` gives them. */
export type StatusRanges = Array<[number, number]>;

const RANGE_LIST = /^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/;

/** `200-399`, `200`, `"200,204,300-399"` or a list of those, each status within 100..599: the ranges, or what is wrong. */
function readStatusRanges(value: unknown): StatusRanges | string {
  const parts = Array.isArray(value) ? value.map(String) : [String(value)];
  if (parts.length === 0) return 'no status given';
  const ranges: StatusRanges = [];
  for (const part of parts) {
    const text = part.replace(/\s/g, '');
    if (!RANGE_LIST.test(text)) return `"${part}" is not a status range such as 200-399 or 200,204`;
    for (const piece of text.split(',')) {
      const [low, high = low] = piece.split('-').map(Number);
      if (low < 100 || high > 599) return `status ${low < 100 ? low : high} is outside 100-599`;
      if (low > high) return `range ${piece} runs backwards`;
      ranges.push([low, high]);
    }
  }
  return ranges;
}

/** The ranges `value` writes, or undefined when it is not a status range (validation says why). */
export function parseStatusRanges(value: unknown): StatusRanges | undefined {
  const read = readStatusRanges(value);
  return typeof read === 'string' ? undefined : read;
}

/** What is wrong with `value` as a status range, or undefined when nothing is. */
export function statusRangesProblem(value: unknown): string | undefined {
  const read = readStatusRanges(value);
  return typeof read === 'string' ? read : undefined;
}

/** The ranges as a person writes them: `200-299, 304`. */
export function formatStatusRanges(ranges: ReadonlyArray<readonly [number, number]>): string {
  return ranges.map(([low, high]) => (low === high ? String(low) : `${low}-${high}`)).join(', ');
}
