import type { HealthResult } from '../../runners/health/healthResult';
import { displayState } from './healthPresentation';

export interface HealthSummary {
  healthy: number;
  degraded: number;
  /** Unhealthy, circuit open included: the view's badge. */
  down: number;
  unknown: number;
  /** "4 healthy, 1 down". */
  text: string;
  /** The names that are down, for the tooltip. */
  downNames: string[];
}

/** What the status bar and the view's badge say about the health of every target. */
export function summarizeHealth(entries: ReadonlyArray<{ name: string; result: HealthResult }>): HealthSummary {
  const summary: HealthSummary = { healthy: 0, degraded: 0, down: 0, unknown: 0, text: '', downNames: [] };
  for (const { name, result } of entries) {
    const state = displayState(result);
    if (state === 'healthy') summary.healthy++;
    else if (state === 'degraded') summary.degraded++;
    else if (state === 'unknown') summary.unknown++;
    else {
      summary.down++;
      summary.downNames.push(name);
    }
  }
  const parts = [
    [summary.healthy, 'healthy'],
    [summary.degraded, 'degraded'],
    [summary.down, 'down'],
    [summary.unknown, 'unknown'],
  ].flatMap(([count, word]) => (count ? [`${count} ${word}`] : []));
  summary.text = parts.join(', ') || 'no health checks yet';
  return summary;
}
