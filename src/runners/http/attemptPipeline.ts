import { STATUS_CODES } from 'node:http';
import { BrokenCircuitError, BulkheadRejectedError, handleWhen, IsolatedCircuitError, retry, TaskCancelledError, wrap, type IRetryContext } from 'cockatiel';
import { request, type Dispatcher } from 'undici';
import type { HttpMethod, IntegrationBase } from '../../core/model';
import { cancelledError, classifyError, classifyStatus, ClassifiedError, runnerError, type ErrorKind, type RunnerError } from '../errors';
import { eventSink, type RunEvent, type RunOptions } from '../runEvents';
import { startHttpRun, type HttpRunRecording } from '../telemetry/httpClientTelemetry';
import { AttemptFailure, isRetryableFailure, isRetryableStatus } from './attemptFailure';
import type { AttemptRecord, EndpointTiming } from './endpointResult';
import { RateLimitedError, type RateLimitContext } from './rateLimiter';
import type { RequestAuthorizer } from './requestAuthorizer';
import type { IntegrationPolicies } from './resilienceRegistry';
import { captureResponse, type CapturedResponse } from './responseCapture';
import { parseRetryAfter } from './retryAfter';
import { RetryBackoff } from './retryBackoff';
import { sharedAgent } from './sharedAgent';

/** One request as the run sends it, every attempt alike. */
export interface HttpRequestPlan {
  /** The endpoint, webhook endpoint or event publisher called (names the run's spans). */
  target: string;
  method: HttpMethod;
  url: URL;
  /** For records, events and spans. */
  redactedUrl: string;
  /** The headers of one request, built afresh for each (a webhook signs every attempt anew). */
  headers(): Record<string, string>;
  body?: string;
  /**
   * Where each attempt goes when that may change between attempts (a service's instances, a retry going
   * to another one): asked as the attempt starts, released when it ends. Throws a ClassifiedError when
   * there is nowhere left to send to. Without it every attempt goes to `url`.
   */
  destination?(): AttemptDestination;
}

export interface AttemptDestination {
  url: URL;
  redactedUrl: string;
  /** Names it in the attempt's record. */
  instance: string;
  /** The attempt ended (least_connections counts requests in flight). */
  release(): void;
}

export interface PipelineOptions extends RunOptions {
  auth?: RequestAuthorizer;
  /** Defaults to the shared undici Agent. */
  dispatcher?: Dispatcher;
}

export interface PipelineOutcome {
  /** The final answer, when one came. */
  response?: CapturedResponse;
  /** Why the run failed: the final attempt's failure (an answer of 400 or more included), a policy's rejection, a cancel. */
  error?: RunnerError;
  attempts: AttemptRecord[];
  timing: EndpointTiming;
  traceId?: string;
}

type PipelineSettings = Pick<IntegrationBase, 'name' | 'timeoutMs' | 'retry' | 'circuitBreaker' | 'bulkhead'>;

/**
 * Sends `plan` through the integration's policies, composed with cockatiel's
 * `wrap`: bulkhead, then retry with backoff around each attempt, each attempt
 * taking a rate-limit token, passing the circuit breaker and running under
 * the per-attempt timeout. The endpoint runner, the webhook sender and URL
 * event publishing all send this way. Never throws for a failed run.
 */
export function runAttempts(integration: PipelineSettings, policies: IntegrationPolicies, plan: HttpRequestPlan, secrets: readonly string[], options: PipelineOptions = {}): Promise<PipelineOutcome> {
  return new AttemptRun(integration, policies, plan, secrets, options).run();
}

const statusError = (status: number, kind: ErrorKind): RunnerError => runnerError(kind, `${status} ${STATUS_CODES[status] ?? 'response'}`, String(status));

/** One run's state: its records, timing, telemetry and event listener. */
class AttemptRun {
  private readonly startedAt = performance.now();
  private readonly attempts: AttemptRecord[] = [];
  private readonly timing = { queuedMs: 0, rateLimitWaitMs: 0, backoffMs: 0 };
  private readonly emit: (event: RunEvent) => void;
  private readonly recording: HttpRunRecording;
  /** The backoff waited before the next request. */
  private pendingDelay = 0;
  /** The headers of the latest send, so a 401 invalidates exactly the credential that was refused. */
  private lastSentHeaders: Record<string, string> = {};
  /** A request is on the wire: a cancel is then noticed by the request itself, which ends its record. */
  private inFlight = false;

  constructor(
    private readonly integration: PipelineSettings,
    private readonly policies: IntegrationPolicies,
    private readonly plan: HttpRequestPlan,
    private readonly secrets: readonly string[],
    private readonly options: PipelineOptions,
  ) {
    this.emit = eventSink(options.onEvent);
    this.recording = startHttpRun({ integration: integration.name, endpoint: plan.target });
  }

  async run(): Promise<PipelineOutcome> {
    const { retry: settings } = this.integration;
    // Per run, so its delays are its own (an integration's runs share everything else).
    const retryPolicy = retry(handleWhen(isRetryableFailure), { maxAttempts: Math.max(0, settings.maxAttempts - 1), backoff: new RetryBackoff(settings) });
    const onRetry = retryPolicy.onRetry(({ delay }) => this.backoff(delay));
    const { bulkhead, rateLimit, breaker, timeout } = this.policies;
    const pipeline = wrap(bulkhead, retryPolicy, rateLimit, breaker, timeout);
    try {
      const response = await this.cancellableWhileWaiting(pipeline.execute((context) => this.attempt(context), this.options.signal));
      return this.outcome(response, response.status >= 400 ? this.attempts.at(-1)?.error : undefined);
    } catch (error) {
      if (error instanceof AttemptFailure) return this.outcome(error.response, error.failure);
      return this.outcome(undefined, this.rejection(error));
    } finally {
      onRetry.dispose();
    }
  }

  /**
   * cockatiel waits out a backoff (and a bulkhead queue) without looking at the signal: a cancel then ends the
   * run at once. What the policies do afterwards sends nothing (the rate limiter refuses a cancelled call).
   */
  private cancellableWhileWaiting<T>(work: Promise<T>): Promise<T> {
    const signal = this.options.signal;
    if (!signal) return work;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        if (!this.inFlight) reject(new TaskCancelledError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private backoff(delayMs: number): void {
    this.pendingDelay = delayMs;
    this.timing.backoffMs += delayMs;
    this.emit({ type: 'backoff', attempt: this.attempts.length + 1, delayMs });
  }

  /** One attempt: a request, and after a 401 with an authorizer one more with a fresh credential. */
  private async attempt({ signal, attempt, rateLimitWaitMs }: IRetryContext & RateLimitContext): Promise<CapturedResponse> {
    this.timing.rateLimitWaitMs += rateLimitWaitMs;
    if (attempt === 0) this.timing.queuedMs = performance.now() - this.startedAt - rateLimitWaitMs;
    let response = await this.sendOnce(signal);
    if (response.status === 401 && this.options.auth) {
      // A cached credential the server no longer takes: fetch a fresh one and send once more.
      this.options.auth.invalidate(this.lastSentHeaders);
      response = await this.sendOnce(signal);
    }
    if (isRetryableStatus(response.status)) {
      throw new AttemptFailure(this.attempts.at(-1)!.error!, true, response, parseRetryAfter(response.headers['retry-after']));
    }
    return response;
  }

  private async authorize(auth: RequestAuthorizer, headers: Record<string, string>, signal: AbortSignal): Promise<void> {
    try {
      await auth.authorize(headers, signal);
    } catch (error) {
      if (this.options.signal?.aborted) throw new TaskCancelledError();
      if (signal.aborted) throw new ClassifiedError('timeout', `no credential within ${this.integration.timeoutMs} ms`, 'timeout');
      throw error instanceof ClassifiedError ? error : new ClassifiedError('auth', `cannot authorize: ${classifyError(error, this.secrets).message}`);
    }
  }

  /** Sends the request once and reads the whole answer; a failure is recorded and thrown as an AttemptFailure. */
  private async sendOnce(signal: AbortSignal): Promise<CapturedResponse> {
    const { plan } = this;
    const headers = plan.headers();
    this.lastSentHeaders = headers;
    if (this.options.auth) await this.authorize(this.options.auth, headers, signal);
    const destination = plan.destination?.();
    const { url, redactedUrl } = destination ?? plan;
    const record: AttemptRecord = { durationMs: 0, delayMs: this.pendingDelay };
    if (destination) record.instance = destination.instance;
    this.pendingDelay = 0;
    this.attempts.push(record);
    const attempt = this.attempts.length;
    const serverPort = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
    const recording = this.recording.startRequest({ method: plan.method, urlFull: redactedUrl, serverAddress: url.hostname, serverPort, resendCount: attempt - 1 });
    recording.inject(headers);
    this.emit({ type: 'attempt-started', attempt, method: plan.method, url: redactedUrl });
    this.inFlight = true;
    const sentAt = performance.now();
    try {
      const response = await request(url, { method: plan.method, headers, body: plan.body, signal, dispatcher: this.options.dispatcher ?? sharedAgent() });
      record.firstByteMs = performance.now() - sentAt;
      const captured = await captureResponse(response, this.secrets);
      record.durationMs = performance.now() - sentAt;
      record.status = captured.status;
      const kind = classifyStatus(captured.status);
      if (kind) record.error = statusError(captured.status, kind);
      recording.end({ status: captured.status, errorType: kind && String(captured.status), errorMessage: record.error?.message });
      return captured;
    } catch (error) {
      record.durationMs = performance.now() - sentAt;
      const failure = this.attemptError(error, signal);
      record.error = failure;
      recording.end({ errorType: failure.code ?? failure.kind, errorMessage: failure.message });
      throw new AttemptFailure(failure, failure.kind === 'transient' || failure.kind === 'timeout');
    } finally {
      this.inFlight = false;
      destination?.release();
      this.emit(attemptEnded(attempt, record));
    }
  }

  private attemptError(error: unknown, attemptSignal: AbortSignal): RunnerError {
    if (this.options.signal?.aborted) return cancelledError();
    if (attemptSignal.aborted) return runnerError('timeout', `no response within ${this.integration.timeoutMs} ms`, 'timeout');
    return classifyError(error, this.secrets);
  }

  /** What stopped the run before (or instead of) an attempt: a cancel, or a local policy, said in the user's terms. */
  private rejection(error: unknown): RunnerError {
    if (this.options.signal?.aborted || error instanceof TaskCancelledError) return cancelledError();
    const { name, circuitBreaker, bulkhead } = this.integration;
    if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) {
      return this.rejected('circuit-open', runnerError('transient', `circuit open for "${name}": not calling for up to ${circuitBreaker.openMs} ms after ${circuitBreaker.failureThreshold} consecutive failures`, 'circuit_open'));
    }
    if (error instanceof BulkheadRejectedError) {
      return this.rejected('bulkhead-full', runnerError('transient', `bulkhead full for "${name}": ${bulkhead.maxConcurrent} calls running and ${bulkhead.maxQueue} queued`, 'bulkhead_full'));
    }
    if (error instanceof RateLimitedError) return this.rejected('rate-limited', classifyError(error, this.secrets));
    return classifyError(error, this.secrets);
  }

  private rejected(policy: Extract<RunEvent, { type: 'rejected' }>['policy'], error: RunnerError): RunnerError {
    this.emit({ type: 'rejected', policy, error });
    return error;
  }

  private outcome(response: CapturedResponse | undefined, error: RunnerError | undefined): PipelineOutcome {
    const totalMs = performance.now() - this.startedAt;
    this.recording.end({ errorType: error && (error.code ?? error.kind), errorMessage: error?.message });
    const outcome: PipelineOutcome = { attempts: this.attempts, timing: { ...this.timing, firstByteMs: this.attempts.at(-1)?.firstByteMs, totalMs } };
    if (response) outcome.response = response;
    if (error) outcome.error = error;
    if (this.recording.traceId) outcome.traceId = this.recording.traceId;
    return outcome;
  }
}

function attemptEnded(attempt: number, record: AttemptRecord): RunEvent {
  const event: Extract<RunEvent, { type: 'attempt-ended' }> = { type: 'attempt-ended', attempt, durationMs: record.durationMs };
  if (record.status !== undefined) event.status = record.status;
  if (record.error) event.error = record.error;
  return event;
}
