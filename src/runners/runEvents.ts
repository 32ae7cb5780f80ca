/**
 * What a run reports while it is in progress, for a UI that shows it live
 * (docs/engine-api.md, "Run options and events"): every runner's options extend `RunOptions`.
 */
import type { RunnerError } from './errors';

export interface RunOptions {
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
}

export type RunEvent =
  | { type: 'attempt-started'; attempt: number /* 1-based */; method: string; url: string /* redacted */ }
  | { type: 'attempt-ended'; attempt: number; status?: number; error?: RunnerError; durationMs: number }
  | { type: 'backoff'; attempt: number /* the attempt it precedes */; delayMs: number }
  | { type: 'rejected'; policy: 'circuit-open' | 'bulkhead-full' | 'rate-limited'; error: RunnerError }
  | { type: 'table-started'; source: string; target: string }
  | { type: 'table-progress'; source: string; target: string; rowsRead: number; rowsWritten: number; total: number }
  | { type: 'table-finished'; source: string; target: string; ok: boolean; error?: RunnerError };

/** `onEvent` made safe to call from inside a run: a listener that throws is the listener's problem, not the run's. */
export function eventSink(onEvent: RunOptions['onEvent']): (event: RunEvent) => void {
  if (!onEvent) return () => undefined;
  return (event) => {
    try {
      onEvent(event);
    } catch {
      // Ignored on purpose: the run goes on and its result says what happened.
    }
  };
}
