/** `1MB`, `512KB`, `1024` (bytes). */
export function parseByteSize(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)?$/i.exec(value.trim());
  if (!match) return undefined;
  const unit = (match[2] ?? 'B').toUpperCase();
  const factor = { B: 1, KB: 1024, KIB: 1024, MB: 1024 ** 2, MIB: 1024 ** 2, GB: 1024 ** 3, GIB: 1024 ** 3 }[unit] ?? 1;
  return Math.round(Number(match[1]) * factor);
}
