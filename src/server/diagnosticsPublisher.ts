import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { ConfigFile } from '../core/configFile';
import type { LanguageContext } from '../language/context';
import type { DocumentStore } from './documentStore';
import { describeError } from './describeError';

export interface DiagnosticsTarget {
  publish(uri: string, diagnostics: Diagnostic[], version?: number): void;
  logError(message: string): void;
}

/**
 * The one diagnostic a file gets when validating it threw: the previous result
 * may be wrong for the new text, so it is replaced, never kept.
 */
export function internalErrorDiagnostic(): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Error,
    code: 'internal-error',
    source: 'simone',
    message: 'Simone could not check this file (an internal error, logged in the language server output). Other features still work.',
  };
}

/**
 * Validates files and publishes their diagnostics: open documents right away on
 * open, debounced on change; everything else a change may affect (other files
 * naming the same things, every file when `.env` changes) in the background, one
 * file per turn of the event loop, open documents first.
 */
export class DiagnosticsPublisher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** When each file was last validated: an edit after a quiet spell is checked at once. */
  private readonly lastRun = new Map<string, number>();
  private readonly background = new Set<string>();
  private draining = false;
  private disposed = false;

  constructor(
    private readonly store: DocumentStore,
    private readonly validate: (file: ConfigFile, context: LanguageContext) => Diagnostic[],
    private readonly target: DiagnosticsTarget,
    private readonly debounceMs: number,
    /** Validation waits for the workspace to be indexed, so cross-file rules see every file. */
    private readonly ready: Promise<void>,
  ) {}

  /** Validates now (a document was opened). */
  now(uri: string): void {
    this.cancelTimer(uri);
    void this.ready.then(() => this.validateAndPublish(uri));
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
          void this.ready.then(() => this.validateAndPublish(uri));
        },
        quiet ? 0 : this.debounceMs,
      ),
    );
  }

  /** Queues files to validate again when the event loop is free. */
  inBackground(uris: Iterable<string>): void {
    for (const uri of uris) this.background.add(uri);
    if (!this.draining) {
      this.draining = true;
      void this.ready.then(() => setImmediate(() => this.drainOne()));
    }
  }

  clear(uri: string, clientUri = uri): void {
    this.cancelTimer(uri);
    this.lastRun.delete(uri);
    this.background.delete(uri);
    this.target.publish(clientUri, []);
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.background.clear();
  }

  private drainOne(): void {
    if (this.disposed) return;
    const next = this.store.openUris().find((uri) => this.background.has(uri)) ?? this.background.values().next().value;
    if (next === undefined) {
      this.draining = false;
      return;
    }
    this.background.delete(next);
    // A pending debounced run will validate the newer text anyway.
    if (!this.timers.has(next)) this.validateAndPublish(next);
    setImmediate(() => this.drainOne());
  }

  private cancelTimer(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
  }

  private validateAndPublish(uri: string): void {
    if (this.disposed) return;
    this.lastRun.set(uri, performance.now());
    const version = this.store.version(uri);
    const clientUri = this.store.clientUri(uri);
    let diagnostics: Diagnostic[];
    try {
      const file = this.store.file(uri);
      if (!file) return;
      diagnostics = this.validate(file, this.store.context());
    } catch (error) {
      this.target.logError(`validating ${uri} failed: ${describeError(error)}`);
      diagnostics = [internalErrorDiagnostic()];
    }
    this.target.publish(clientUri, diagnostics, version);
  }
}
