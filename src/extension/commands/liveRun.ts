/**
 * The glue between a runner's run events and what the editor shows while the run goes on: each event is a live
 * row in the run's result panel and, said in a few words, the progress notification's message; the result then
 * replaces the rows. No `vscode` here (the commands hand in the panel and the progress).
 */
import type { RunEvent } from '../../runners/runEvents';
import type { ResultView } from '../webviews/resultView';
import type { RunProgress } from './runWithProgress';

/** What a run needs of its result panel (webviewApi's ResultPanelHandle). */
export interface LiveRunPanel {
  appendEvent(event: RunEvent): void;
  update(view: ResultView): void;
}

/** What the runner gets: the progress's cancel signal and the listener of its events. */
export interface LiveRunOptions {
  signal: AbortSignal;
  onEvent: (event: RunEvent) => void;
}

/** A run event as the progress notification says it; undefined for one not worth a message. */
export function progressMessage(event: RunEvent): string | undefined {
  switch (event.type) {
    case 'attempt-started':
      return event.attempt > 1 ? `attempt ${event.attempt}` : undefined;
    case 'attempt-ended':
      return `attempt ${event.attempt}: ${event.error?.message ?? event.status ?? 'no answer'}`;
    case 'backoff':
      return `waiting ${Math.round(event.delayMs)} ms before attempt ${event.attempt}`;
    case 'rejected':
      return event.error.message;
    case 'table-started':
      return `${event.source} → ${event.target}`;
    case 'table-progress':
      return `${event.source} → ${event.target}: ${event.rowsRead} of ${event.total} rows read, ${event.rowsWritten} written`;
    case 'table-finished':
      return undefined;
  }
}

/**
 * Runs `run` with its events going live to `panel` (and to the progress message unless `say` is false: a batch
 * reports its own count), then shows its result there.
 */
export async function runLive<T>(progress: RunProgress, panel: LiveRunPanel, run: (options: LiveRunOptions) => Promise<T>, view: (result: T) => ResultView, say = true): Promise<T> {
  const onEvent = (event: RunEvent) => {
    panel.appendEvent(event);
    const message = say ? progressMessage(event) : undefined;
    if (message) progress.report(message);
  };
  const result = await run({ signal: progress.signal, onEvent });
  panel.update(view(result));
  return result;
}
