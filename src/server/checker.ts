import type { Worker } from 'node:worker_threads';
import type { Diagnostic } from 'vscode-languageserver';
import type { FromCheckWorker, StoreEdit, ToCheckWorker } from './checkProtocol';
import { describeError } from './describeError';
import { startWorkerThread } from './workerThread';

export type CheckOutcome =
  | { kind: 'checked'; diagnostics: Diagnostic[] }
  /** Validation threw (`error` is safe to log). */
  | { kind: 'failed'; error: string }
  /** The file was forgotten before its check ran. */
  | { kind: 'unknown' }
  /** Ended by `cancel` (something more urgent waited). */
  | { kind: 'cancelled' }
  | { kind: 'timed-out' }
  /** The worker died during the check (out of memory, say). */
  | { kind: 'crashed'; error: string };

export interface CheckerOptions {
  processEnv: NodeJS.ProcessEnv;
  /** See CheckJob.validator. */
  validator?: string;
  /** A check still running after this long is ended, and the file reported as not checked. */
  timeLimitMs: number;
  /** The edits that bring a new worker's replica to the store's state now. */
  replay(): StoreEdit[];
  logError(message: string): void;
}

/** A hostile file may cost the worker memory; past this its heap ends the worker, not the server. */
const WORKER_HEAP_MB = 1024;
/** A worker that dies this many times before it finishes starting is not started again. */
const FAILED_STARTS_ALLOWED = 3;

interface RunningCheck {
  id: number;
  startedAt: number;
  timer?: NodeJS.Timeout;
  resolve(outcome: CheckOutcome): void;
}

/**
 * Runs validation in a worker thread (src/server/checkWorker.ts) that keeps a
 * replica of the store, so the main thread answers requests whatever a check
 * costs. One check runs at a time. A synchronous rule cannot be interrupted, so
 * a check is ended by replacing the worker: a new one replays the store's state
 * (folders, secret names, open documents) and reads the disk itself.
 */
export class Checker {
  private worker?: Worker;
  private spawnedAt = 0;
  private startCostMs = 0;
  private started = false;
  private failedStarts = 0;
  private lastError = '';
  private stopped = false;
  private nextId = 1;
  private running?: RunningCheck;
  private readyAt = 0;
  private preemptWanted = false;
  private preemptTimer?: NodeJS.Timeout;

  constructor(private readonly options: CheckerOptions) {}

  /** Starts the first worker (once the store knows its folders, so the first start cost is a real one). */
  start(): void {
    if (!this.worker && !this.stopped) this.spawn();
  }

  forward(edit: StoreEdit): void {
    this.post({ type: 'edit', edit });
  }

  /** Checks one file (its text as of the edits forwarded so far); one check at a time. */
  check(uri: string): Promise<CheckOutcome> {
    if (this.running) throw new Error('a check is already running');
    if (this.stopped || !this.worker) return Promise.resolve({ kind: 'crashed', error: this.lastError || 'the check worker is not running' });
    return new Promise((resolve) => {
      const id = this.nextId++;
      this.running = { id, startedAt: performance.now(), resolve };
      this.startTimeLimit();
      this.post({ type: 'check', id, uri });
    });
  }

  /**
   * Ends the running check (it resolves `cancelled`) once it has run, in a started worker, as long as
   * starting a worker costs: waiting longer could cost more than starting over, waiting less could waste
   * a check about to end.
   */
  preempt(): void {
    if (!this.running || this.preemptWanted) return;
    this.preemptWanted = true;
    this.schedulePreemption();
  }

  dispose(): void {
    this.stopped = true;
    this.settle({ kind: 'cancelled' });
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private endRunning(outcome: CheckOutcome): void {
    if (!this.running) return;
    this.settle(outcome);
    const old = this.worker;
    this.spawn();
    void old?.terminate();
  }

  private settle(outcome: CheckOutcome): void {
    const running = this.running;
    if (!running) return;
    clearTimeout(running.timer);
    clearTimeout(this.preemptTimer);
    this.preemptTimer = undefined;
    this.preemptWanted = false;
    this.running = undefined;
    running.resolve(outcome);
  }

  private spawn(): void {
    const worker = startWorkerThread({ job: 'check', processEnv: this.options.processEnv, validator: this.options.validator }, { maxOldGenerationSizeMb: WORKER_HEAP_MB });
    this.worker = worker;
    this.spawnedAt = performance.now();
    this.started = false;
    this.lastError = '';
    worker.on('message', (message: FromCheckWorker) => {
      if (worker === this.worker) this.received(message);
    });
    worker.on('error', (error) => (this.lastError = describeError(error)));
    worker.on('exit', (code) => {
      if (worker === this.worker && !this.stopped) this.died(code);
    });
    for (const edit of this.options.replay()) this.post({ type: 'edit', edit });
    this.post({ type: 'ping', id: 0 });
  }

  private received(message: FromCheckWorker): void {
    if (message.type === 'pong') {
      this.started = true;
      this.failedStarts = 0;
      this.readyAt = performance.now();
      this.startCostMs = this.readyAt - this.spawnedAt;
      this.startTimeLimit();
      this.schedulePreemption();
      return;
    }
    if (message.id !== this.running?.id) return;
    if (message.type === 'checked') this.settle({ kind: 'checked', diagnostics: message.diagnostics });
    else if (message.type === 'failed') this.settle({ kind: 'failed', error: message.error });
    else this.settle({ kind: 'unknown' });
  }

  private died(code: number): void {
    const error = this.lastError || `the check worker exited with code ${code}`;
    this.options.logError(`the check worker stopped: ${error}`);
    this.settle({ kind: 'crashed', error });
    if (!this.started && ++this.failedStarts >= FAILED_STARTS_ALLOWED) {
      this.stopped = true;
      this.worker = undefined;
      this.options.logError(`the check worker failed to start ${FAILED_STARTS_ALLOWED} times: files are no longer checked until the server restarts`);
      return;
    }
    this.spawn();
  }

  /** A worker still starting has not begun the check: the limit counts from the start's end. */
  private startTimeLimit(): void {
    if (!this.running || this.running.timer || !this.started) return;
    this.running.timer = setTimeout(() => this.endRunning({ kind: 'timed-out' }), this.options.timeLimitMs);
  }

  private schedulePreemption(): void {
    const running = this.running;
    // As for the time limit, a check's time counts from the worker's start.
    if (!running || !this.preemptWanted || !this.started || this.preemptTimer) return;
    const ranMs = performance.now() - Math.max(running.startedAt, this.readyAt);
    this.preemptTimer = setTimeout(() => this.endRunning({ kind: 'cancelled' }), Math.max(0, this.startCostMs - ranMs));
  }

  private post(message: ToCheckWorker): void {
    if (!this.stopped) this.worker?.postMessage(message);
  }
}
