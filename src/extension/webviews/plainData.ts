/**
 * Readers for the runners' plain JSON as the view models take it (`AnyResultView`: typed at the API, `unknown`
 * here, so an engine of another version never breaks a panel): every field is read for what it is and anything
 * else counts as absent.
 */
export type Plain = Record<string, unknown>;

export function record(value: unknown): Plain | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Plain) : undefined;
}

export function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A RunnerError (`{kind, message}`) or a converter's plain message string. */
export function errorMessage(value: unknown): string | undefined {
  return text(value) ?? text(record(value)?.message);
}

export function ms(value: unknown): string {
  const number = count(value);
  return number === undefined ? '—' : `${Math.round(number * 10) / 10} ms`;
}
