import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { CheckOutcome, Checker } from './checker';
import type { DocumentStore } from './documentStore';

export interface DiagnosticsTarget {
  publish(uri: string, diagnostics: Diagnostic[], version?: number): void;
  logError(message: string): void;
}

const FILE_START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * The one diagnostic a file gets when validating it threw: the previous result
 * may be wrong for the new text, so it is replaced, never kept.
 */
export function internalErrorDiagnostic(): Diagnostic {
  return {
    range: FILE_START,
    severity: DiagnosticSeverity.Error,
    code: 'internal-error',
    source: 'simone',
    message: 'Simone could not check this file (an internal error, logged in the language server output). Other features still work.',
  };
}

/** The one diagnostic of a file whose check ran past the server's time limit. */
export function timeLimitDiagnostic(limitMs: number): Diagnostic {
  return {
    range: FILE_START,
    severity: DiagnosticSeverity.Error,
    code: 'check-time-limit',
    source: 'simone',
    message: `Simone stopped checking this file after ${limitMs / 1000} s (the language server's limit for one file); it is checked again after its next change. Other features still work.`,
  };
}

interface Running {
  uri: string;
  revision: number;
}

/**
 * Decides which file the check worker validates next, and publishes what it
 * finds while it is still true. Open documents go first: on open at once, on
 * change debounced; everything else a change may affect (other files naming
 * the same things, every file when `.env` changes) in the background, open
 * documents first. A result is published only if the file's text is still the
 * one checked. A check goes on while nothing else waits; once it is stale (its
 * file changed) or an open document waits behind it, it is cancelled (see
 * `Checker.preempt` for when), and a file whose check was cancelled for another
 * is checked again in the background.
 */
export class DiagnosticsPublisher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** When each file was last validated: an edit after a quiet spell is checked at once. */
  private readonly lastRun = new Map<string, number>();
  /** Open documents to check, oldest request first. */
  private readonly urgent = new Set<string>();
  private readonly background = new Set<string>();
  /** Files whose check ran out of time or took the worker down, at that revision: not tried again until they change. */
  private readonly givenUp = new Map<string, number>();
  private running?: Running;
  private indexed = false;
  private disposed = false;

  constructor(
    private readonly store: DocumentStore,
    private readonly checker: Checker,
    private readonly target: DiagnosticsTarget,
    private readonly debounceMs: number,
    private readonly timeLimitMs: number,
    /** Validation waits for the workspace to be indexed, so cross-file rules see every file. */
    ready: Promise<void>,
  ) {
    void ready.then(() => {
      this.indexed = true;
      this.checkNext();
    });
  }

  /** Validates first (a document was opened). */
  now(uri: string): void {
    this.cancelTimer(uri);
    this.checkUrgently(uri);
  }

  /**
   * Validates on the leading edge of a quiet file (the first keystroke after a pause is
   * checked at once), else after the debounce delay, which a newer edit restarts.
   */
  debounced(uri: string): void {
    const quiet = !this.timers.has(uri) && performance.now() - (this.lastRun.get(uri) ?? -Infinity) >= this.debounceMs;
    this.cancelTimer(uri);
    this.timers.set(
      uri,
      setTimeout(
        () => {
          this.timers.delete(uri);
          this.checkUrgently(uri);
        },
        quiet ? 0 : this.debounceMs,
      ),
    );
    // The running check may be of this file's older text.
    this.preemptIfSomethingWaits();
  }

  /** Queues files to validate again when nothing more urgent waits. */
  inBackground(uris: Iterable<string>): void {
    for (const uri of uris) this.background.add(uri);
    this.checkNext();
  }

  clear(uri: string, clientUri = uri): void {
    this.cancelTimer(uri);
    this.lastRun.delete(uri);
    this.urgent.delete(uri);
    this.background.delete(uri);
    this.givenUp.delete(uri);
    this.target.publish(clientUri, []);
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.urgent.clear();
    this.background.clear();
  }

  private checkUrgently(uri: string): void {
    this.background.delete(uri);
    this.urgent.delete(uri);
    this.urgent.add(uri);
    this.checkNext();
    this.preemptIfSomethingWaits();
  }

  private cancelTimer(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
  }

  private preemptIfSomethingWaits(): void {
    const running = this.running;
    if (!running) return;
    const stale = this.store.revision(running.uri) !== running.revision;
    const openDocumentWaits = [...this.urgent].some((uri) => uri !== running.uri);
    if (stale || openDocumentWaits) this.checker.preempt();
  }

  private checkNext(): void {
    if (!this.indexed || this.disposed || this.running) return;
    const next = this.takeNext();
    if (!next) return;
    const { uri } = next;
    const version = this.store.version(uri);
    this.running = next;
    this.lastRun.set(uri, performance.now());
    void this.checker.check(uri).then((outcome) => {
      this.running = undefined;
      if (!this.disposed) this.finished(next, version, outcome);
      this.checkNext();
    });
    // Others may be waiting already (everything queued while the workspace was read).
    this.preemptIfSomethingWaits();
  }

  private takeNext(): Running | undefined {
    for (const uri of this.urgent) {
      this.urgent.delete(uri);
      const revision = this.store.revision(uri);
      if (revision !== undefined) return { uri, revision };
    }
    const openFirst = [...this.store.openUris().filter((uri) => this.background.has(uri)), ...this.background];
    for (const uri of openFirst) {
      this.background.delete(uri);
      const revision = this.store.revision(uri);
      // A pending debounced check will validate the newer text anyway.
      if (revision === undefined || this.timers.has(uri) || this.givenUp.get(uri) === revision) continue;
      return { uri, revision };
    }
    return undefined;
  }

  private finished(checked: Running, version: number | undefined, outcome: CheckOutcome): void {
    const { uri } = checked;
    const current = this.store.revision(uri) === checked.revision;
    const publish = (diagnostics: Diagnostic[]) => {
      if (current) this.target.publish(this.store.clientUri(uri), diagnostics, version);
    };
    switch (outcome.kind) {
      case 'checked':
        return publish(outcome.diagnostics);
      case 'failed':
        this.target.logError(`validating ${uri} failed: ${outcome.error}`);
        return publish([internalErrorDiagnostic()]);
      case 'crashed':
        this.givenUp.set(uri, checked.revision);
        return publish([internalErrorDiagnostic()]);
      case 'timed-out':
        this.target.logError(`checking ${uri} took longer than ${this.timeLimitMs} ms and was stopped`);
        this.givenUp.set(uri, checked.revision);
        return publish([timeLimitDiagnostic(this.timeLimitMs)]);
      case 'cancelled':
        // Preempted for an open document: back in line behind every open document, so two slow
        // documents never preempt each other in turn. A stale check's newer text is queued already.
        if (current) this.background.add(uri);
        return;
      case 'unknown':
        return;
    }
  }
}
