/** One line of `npm run bench`. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** The goal in words, e.g. "< 20 ms" or ">= 3x". */
  goal?: string;
  met?: boolean;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** The median of `rounds` timed runs of `work`, after one warm-up run (connections opened, code compiled), in whole ms. */
export async function medianMs(rounds: number, work: () => Promise<unknown>): Promise<number> {
  await work();
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  }
  return Math.round(median(samples));
}
