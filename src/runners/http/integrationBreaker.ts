import { BrokenCircuitError, circuitBreaker, CircuitState, EventEmitter, handleWhen, type CircuitBreakerPolicy, type Event, type IBreaker, type IDefaultPolicyContext, type IDisposable, type IPolicy } from 'cockatiel';
import type { CircuitBreakerSettings } from '../../core/model';
import { neverAborted } from './neverAborted';

export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * Counts consecutive failures like cockatiel's ConsecutiveBreaker, and adds
 * what cockatiel 3 lacks for `half_open_max_calls`: cockatiel closes the
 * circuit after ONE successful trial call. Here that first success starts a
 * probation of `trialCalls - 1` more calls; one failure among them reopens the
 * circuit at once, and only when all have succeeded is it really closed.
 */
class TrialCountingBreaker implements IBreaker {
  state = { failures: 0, trialsLeft: 0 };

  constructor(
    private readonly threshold: number,
    readonly trialCalls: number,
    private readonly onProbationEnd: () => void,
  ) {}

  success(circuit: CircuitState): void {
    this.state.failures = 0;
    if (circuit === CircuitState.HalfOpen) {
      this.state.trialsLeft = this.trialCalls - 1;
    } else if (this.state.trialsLeft > 0 && --this.state.trialsLeft === 0) {
      this.onProbationEnd();
    }
  }

  failure(circuit: CircuitState): boolean {
    if (circuit === CircuitState.HalfOpen || this.state.trialsLeft > 0) {
      this.state.trialsLeft = 0;
      return true;
    }
    return ++this.state.failures >= this.threshold;
  }
}

/**
 * One integration's circuit breaker, a cockatiel policy: cockatiel's
 * CircuitBreakerPolicy with `failure_threshold` consecutive failures, open for
 * `timeout`, and `half_open_max_calls` trial calls (see TrialCountingBreaker);
 * its state as the UI shows it, with change events.
 */
export class IntegrationBreaker implements IPolicy, IDisposable {
  declare readonly _altReturn: never;
  private readonly policy: CircuitBreakerPolicy;
  private readonly counter: TrialCountingBreaker;
  private readonly changed = new EventEmitter<BreakerState>();
  private readonly subscription: IDisposable;
  private lastState: BreakerState = 'closed';
  private trialsInFlight = 0;
  /** When an open circuit takes its next call as a trial (cockatiel only notices at that call). */
  private openUntil = 0;
  private openTimer: NodeJS.Timeout | undefined;
  readonly onDidChangeState: Event<BreakerState> = this.changed.addListener;
  readonly onSuccess: IPolicy['onSuccess'];
  readonly onFailure: IPolicy['onFailure'];

  constructor(
    readonly settings: CircuitBreakerSettings,
    /** Which failures count against the circuit; anything else passes through. */
    countsAsFailure: (error: Error) => boolean,
  ) {
    this.counter = new TrialCountingBreaker(Math.max(1, settings.failureThreshold), Math.max(1, settings.halfOpenMaxCalls), () => this.announce());
    this.policy = circuitBreaker(handleWhen(countsAsFailure), { breaker: this.counter, halfOpenAfter: settings.openMs });
    this.onSuccess = this.policy.onSuccess;
    this.onFailure = this.policy.onFailure;
    this.subscription = this.policy.onStateChange((state) => {
      clearTimeout(this.openTimer);
      if (state === CircuitState.Open) {
        // Say "half-open" once the open time is over, without waiting for a call to find out.
        this.openUntil = performance.now() + settings.openMs;
        this.announceWhenDue();
      }
      this.announce();
    });
  }

  get state(): BreakerState {
    switch (this.policy.state) {
      case CircuitState.Closed:
        return this.counter.state.trialsLeft > 0 ? 'half-open' : 'closed';
      case CircuitState.HalfOpen:
        return 'half-open';
      case CircuitState.Open:
        return performance.now() >= this.openUntil ? 'half-open' : 'open';
      default:
        return 'open';
    }
  }

  /**
   * Half-open, at most the trial calls left run at once and any other call is rejected at once (cockatiel would
   * make it wait for the first trial's outcome). The call gets the caller's signal, not the one cockatiel hands
   * on: cockatiel drops it for a caller that waited on a half-open trial.
   */
  async execute<T>(fn: (context: IDefaultPolicyContext) => PromiseLike<T> | T, signal: AbortSignal = neverAborted): Promise<T> {
    const trial = this.state === 'half-open';
    if (trial) {
      const allowed = this.policy.state === CircuitState.Closed ? this.counter.state.trialsLeft : this.counter.trialCalls;
      if (this.trialsInFlight >= allowed) throw new BrokenCircuitError('circuit half-open: all trial calls are in use');
      this.trialsInFlight++;
    }
    try {
      return await this.policy.execute(() => fn({ signal }), signal);
    } finally {
      if (trial) this.trialsInFlight--;
    }
  }

  /** A timer may fire a fraction of a millisecond early: then it waits the rest. */
  private announceWhenDue(): void {
    const left = this.openUntil - performance.now();
    this.openTimer = setTimeout(() => (performance.now() >= this.openUntil ? this.announce() : this.announceWhenDue()), Math.max(1, Math.ceil(left))).unref();
  }

  private announce(): void {
    const state = this.state;
    if (state === this.lastState) return;
    this.lastState = state;
    this.changed.emit(state);
  }

  dispose(): void {
    clearTimeout(this.openTimer);
    this.subscription.dispose();
  }
}
