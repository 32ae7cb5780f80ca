import { BrokenCircuitError, circuitBreaker, CircuitState, EventEmitter, handleWhen, type CircuitBreakerPolicy, type Event, type IBreaker, type IDisposable } from 'cockatiel';
import type { CircuitBreakerSettings } from '../../core/model';

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
    private readonly trialCalls: number,
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
 * One integration's circuit breaker: cockatiel's CircuitBreakerPolicy with
 * `failure_threshold` consecutive failures, open for `timeout`, and
 * `half_open_max_calls` trial calls (see TrialCountingBreaker); its state as
 * the UI shows it, with change events.
 */
export class IntegrationBreaker implements IDisposable {
  private readonly policy: CircuitBreakerPolicy;
  private readonly counter: TrialCountingBreaker;
  private readonly changed = new EventEmitter<BreakerState>();
  private readonly subscription: IDisposable;
  private lastState: BreakerState = 'closed';
  private trialsInFlight = 0;
  readonly onDidChangeState: Event<BreakerState> = this.changed.addListener;

  constructor(
    readonly settings: CircuitBreakerSettings,
    /** Which failures count against the circuit; anything else passes through. */
    countsAsFailure: (error: Error) => boolean,
  ) {
    this.counter = new TrialCountingBreaker(Math.max(1, settings.failureThreshold), Math.max(1, settings.halfOpenMaxCalls), () => this.announce());
    this.policy = circuitBreaker(handleWhen(countsAsFailure), { breaker: this.counter, halfOpenAfter: settings.openMs });
    this.subscription = this.policy.onStateChange(() => this.announce());
  }

  get state(): BreakerState {
    switch (this.policy.state) {
      case CircuitState.Closed:
        return this.counter.state.trialsLeft > 0 ? 'half-open' : 'closed';
      case CircuitState.HalfOpen:
        return 'half-open';
      default:
        return 'open';
    }
  }

  async execute<T>(fn: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const probation = this.state === 'half-open' && this.policy.state === CircuitState.Closed;
    if (probation && this.trialsInFlight >= this.counter.state.trialsLeft) {
      throw new BrokenCircuitError('circuit half-open: all trial calls are in use');
    }
    if (probation) this.trialsInFlight++;
    try {
      return await this.policy.execute(({ signal: inner }) => fn(inner), signal);
    } finally {
      if (probation) this.trialsInFlight--;
    }
  }

  private announce(): void {
    const state = this.state;
    if (state === this.lastState) return;
    this.lastState = state;
    this.changed.emit(state);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
