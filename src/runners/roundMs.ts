/** Milliseconds to one decimal, as results are shown and printed. */
export function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}
