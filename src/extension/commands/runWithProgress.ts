import { ProgressLocation, window, type Progress } from 'vscode';

export interface RunProgress {
  signal: AbortSignal;
  report(message: string): void;
}

/** A run stopped by the user (Cancel) or by `simone.run.timeout`; the runner's result says what was left undone. */
export interface RunStop {
  cancelled: boolean;
  timedOut: boolean;
}

/**
 * Runs `work` under a cancellable notification: Cancel aborts the signal the runner honours, and so does the
 * editor's own bound (`simone.run.timeout`, 0 for none). The runner decides what a cancel leaves behind (a sync
 * rolls back), and returns its result as usual.
 */
export async function runWithProgress<T>(title: string, timeoutMs: number, work: (run: RunProgress) => Promise<T>): Promise<{ result: T; stop: RunStop }> {
  return window.withProgress({ location: ProgressLocation.Notification, title, cancellable: true }, async (progress: Progress<{ message?: string }>, token) => {
    const controller = new AbortController();
    const stop: RunStop = { cancelled: false, timedOut: false };
    const cancel = token.onCancellationRequested(() => {
      stop.cancelled = true;
      controller.abort(new Error('cancelled'));
    });
    const timer = timeoutMs > 0 ? setTimeout(() => {
      stop.timedOut = true;
      controller.abort(new Error(`stopped after ${timeoutMs / 1000} s (simone.run.timeout)`));
    }, timeoutMs) : undefined;
    try {
      const result = await work({ signal: controller.signal, report: (message) => progress.report({ message }) });
      return { result, stop };
    } finally {
      clearTimeout(timer);
      cancel.dispose();
    }
  });
}
