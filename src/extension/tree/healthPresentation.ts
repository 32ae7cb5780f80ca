/**
 * How health reads in the editor: a state as a word and a theme colour, a type as a codicon, times and latencies
 * as short text. No `vscode` here: the tree, the status bar and the tests share it.
 */
import type { HealthResult, HealthState } from '../../runners/health/healthResult';

/** A health state, with an open circuit told apart: it refuses calls whatever the last check said. */
export type DisplayState = HealthState | 'circuit-open';

export interface StateStyle {
  word: string;
  /** A theme colour id (ThemeColor). */
  color: string;
  /** Replaces the type's icon, when the state matters more than the type. */
  icon?: string;
}

export const STATE_STYLES: Record<DisplayState, StateStyle> = {
  healthy: { word: 'healthy', color: 'testing.iconPassed' },
  degraded: { word: 'degraded', color: 'problemsWarningIcon.foreground' },
  unhealthy: { word: 'down', color: 'problemsErrorIcon.foreground' },
  unknown: { word: 'unknown', color: 'disabledForeground' },
  'circuit-open': { word: 'circuit open', color: 'problemsErrorIcon.foreground', icon: 'debug-disconnect' },
};

/** Codicons per integration type, and for what the architecture documents declare. */
export const TYPE_ICONS: Record<string, string> = {
  request_response: 'globe',
  webhook: 'broadcast',
  message_queue: 'inbox',
  database: 'database',
  event_driven: 'symbol-event',
  microservices: 'server-environment',
  microservice: 'server',
  api_gateway: 'type-hierarchy',
};

export function displayState(result: HealthResult | undefined): DisplayState {
  if (!result) return 'unknown';
  return result.breaker === 'open' ? 'circuit-open' : result.state;
}

const RANK: Record<DisplayState, number> = { unknown: 0, healthy: 1, degraded: 2, unhealthy: 3, 'circuit-open': 4 };

/** The worst of several states (a group of services shows its worst). */
export function worstDisplayState(states: readonly DisplayState[]): DisplayState {
  return states.reduce<DisplayState>((worst, state) => (RANK[state] > RANK[worst] ? state : worst), 'unknown');
}

export function formatLatency(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** "just now", "5 min ago", "3 h ago", "2 d ago". */
export function formatAge(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (!Number.isFinite(seconds)) return 'at an unknown time';
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${Math.max(1, Math.round(seconds / 60))} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}

/** Shortens one line for a description (the tooltip has it whole). */
export function clip(text: string, length = 60): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

/** Text as Markdown shows it literally: names and details come from files and remote answers. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}
