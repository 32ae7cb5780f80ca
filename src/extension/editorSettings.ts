/**
 * The `simone.*` settings the editor acts on, read through a getter (VS Code's configuration, or a test's map) and
 * kept inside sane bounds: a hand-edited settings.json may hold anything. No `vscode` here.
 */
import type { EditorEngineSettings } from './engine/editorEngine';

export interface EditorSettings {
  healthEnabled: boolean;
  healthIntervalMs: number;
  healthTimeoutMs: number;
  healthConcurrency: number;
  /** Endpoints in flight at once in "Test All Endpoints" and a Testing view batch. */
  runConcurrency: number;
  /** The longest one run from the editor may take in all (retries included); 0: no bound but the integration's own. */
  runTimeoutMs: number;
  notifyStateChanges: boolean;
  otlpEndpoint?: string;
  /** What happens to new project events: recorded only, asked about, or sent. */
  eventsDispatch: EventsDispatch;
  /** The sync scheduler runs (sync_frequency honoured). */
  syncSchedule: boolean;
}

export const EVENTS_DISPATCH_MODES = ['off', 'ask', 'on'] as const;
export type EventsDispatch = (typeof EVENTS_DISPATCH_MODES)[number];
/** The setting that "Always" writes `on` to. */
export const EVENTS_DISPATCH_KEY = 'events.dispatch';

export const SETTINGS_SECTION = 'simone';

type Get = <T>(key: string, fallback: T) => T;

function bounded(value: unknown, fallback: number, min: number, max: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback;
}

export function readEditorSettings(get: Get): EditorSettings {
  const otlp = get<unknown>('telemetry.otlp.enabled', false) === true;
  const endpoint = get<unknown>('telemetry.otlp.endpoint', 'http://127.0.0.1:4318');
  return {
    healthEnabled: get<unknown>('health.enabled', true) !== false,
    healthIntervalMs: bounded(get<unknown>('health.interval', 30), 30, 1, 86_400) * 1000,
    healthTimeoutMs: bounded(get<unknown>('health.timeout', 10), 10, 1, 600) * 1000,
    healthConcurrency: Math.round(bounded(get<unknown>('health.concurrency', 8), 8, 1, 64)),
    runConcurrency: Math.round(bounded(get<unknown>('run.concurrency', 4), 4, 1, 32)),
    runTimeoutMs: bounded(get<unknown>('run.timeout', 120), 120, 0, 3600) * 1000,
    notifyStateChanges: get<unknown>('notifications.stateChanges', false) === true,
    otlpEndpoint: otlp && typeof endpoint === 'string' && /^https?:\/\//.test(endpoint) ? endpoint : undefined,
    eventsDispatch: oneOf(get<unknown>(EVENTS_DISPATCH_KEY, 'ask'), EVENTS_DISPATCH_MODES, 'ask'),
    syncSchedule: get<unknown>('sync.schedule', false) === true,
  };
}

export function engineSettings(settings: EditorSettings): EditorEngineSettings {
  return { healthIntervalMs: settings.healthIntervalMs, healthTimeoutMs: settings.healthTimeoutMs, healthConcurrency: settings.healthConcurrency, otlpEndpoint: settings.otlpEndpoint };
}
