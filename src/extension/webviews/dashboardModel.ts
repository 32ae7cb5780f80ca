/**
 * What the health dashboard shows: one row per health target (integration, service, gateway) with its state, detail,
 * breaker and a latency sparkline over the probes the host kept. Health results are redacted by the engine.
 */
import type { HealthResult, HealthState } from '../../runners/health/healthResult';
import { cell, type Cell, type Tone } from './resultModel';

/** One health target on the dashboard: its latest result and its recent probes, oldest first. */
export interface DashboardEntry {
  key: string;
  name: string;
  type: string;
  result: HealthResult;
  history: ReadonlyArray<{ checkedAt: string; state: HealthState; latencyMs: number }>;
}

export interface Sparkline {
  width: number;
  height: number;
  /** An SVG polyline's `points`, oldest probe on the left. */
  points: string;
  /** Probes that were not healthy, as dots on the line. */
  marks: Array<{ x: number; y: number; tone: Tone }>;
  /** The tallest latency on the chart, for its label. */
  maxMs: number;
}

export interface DashboardRow {
  key: string;
  name: string;
  type: string;
  state: Cell;
  latency: string;
  detail: string;
  /** The circuit breaker's state, for targets that have one. */
  breaker?: string;
  checkedAt: string;
  sparkline?: Sparkline;
}

export interface DashboardModel {
  summary: string;
  rows: DashboardRow[];
  /** Row names open the target's definition (the host can). */
  canOpenDefinition: boolean;
}

/** Probes drawn per chart (the host may keep more). */
export const SPARKLINE_SAMPLES = 60;
const WIDTH = 120;
const HEIGHT = 24;
/** The dots on the line; the chart keeps this margin so they are drawn whole. */
export const SPARKLINE_MARK_RADIUS = 2;
const MARGIN = SPARKLINE_MARK_RADIUS;

const STATES: Record<HealthState, { icon: string; tone: Tone }> = {
  healthy: { icon: 'pass-filled', tone: 'ok' },
  degraded: { icon: 'warning', tone: 'warning' },
  unhealthy: { icon: 'error', tone: 'error' },
  unknown: { icon: 'question', tone: 'muted' },
};

function stateCell(result: HealthResult): Cell {
  if (result.breaker === 'open') return cell('circuit open', 'error', 'circle-slash');
  const { icon, tone } = STATES[result.state] ?? STATES.unknown;
  return cell(result.state, tone, icon);
}

export function sparkline(history: DashboardEntry['history']): Sparkline | undefined {
  const samples = history.slice(-SPARKLINE_SAMPLES);
  if (samples.length < 2) return undefined;
  const maxMs = Math.max(1, ...samples.map((sample) => sample.latencyMs));
  const step = (WIDTH - 2 * MARGIN) / (samples.length - 1);
  const at = (index: number) => {
    const latency = Math.max(0, samples[index].latencyMs);
    // A margin of a mark's radius keeps the stroke and the marks inside the box.
    return { x: Math.round((MARGIN + index * step) * 10) / 10, y: Math.round((HEIGHT - MARGIN - (latency / maxMs) * (HEIGHT - 2 * MARGIN)) * 10) / 10 };
  };
  const points = samples.map((_, index) => at(index)).map(({ x, y }) => `${x},${y}`).join(' ');
  const marks = samples.flatMap((sample, index) => (sample.state === 'healthy' ? [] : [{ ...at(index), tone: (STATES[sample.state] ?? STATES.unknown).tone }]));
  return { width: WIDTH, height: HEIGHT, points, marks, maxMs: Math.round(maxMs) };
}

export function dashboardModel(entries: readonly DashboardEntry[], canOpenDefinition = false): DashboardModel {
  const rows = [...entries]
    .sort((a, b) => a.name.localeCompare(b.name) || a.key.localeCompare(b.key))
    .map((entry): DashboardRow => {
      const chart = sparkline(entry.history);
      return {
        key: entry.key,
        name: entry.name,
        type: entry.type,
        state: stateCell(entry.result),
        latency: `${Math.round(entry.result.latencyMs)} ms`,
        detail: entry.result.detail,
        ...(entry.result.breaker ? { breaker: entry.result.breaker } : {}),
        checkedAt: entry.result.checkedAt,
        ...(chart ? { sparkline: chart } : {}),
      };
    });
  const down = rows.filter((row) => row.state.tone === 'error').length;
  const degraded = rows.filter((row) => row.state.tone === 'warning').length;
  const healthy = rows.filter((row) => row.state.tone === 'ok').length;
  const parts = [`${healthy} healthy`, degraded ? `${degraded} degraded` : '', down ? `${down} down` : ''].filter(Boolean);
  return { summary: rows.length ? parts.join(', ') : 'Nothing to watch: the workspace has no integration, service or gateway.', rows, canOpenDefinition };
}
