import { bulkhead, EventEmitter, timeout, TimeoutStrategy, type BulkheadPolicy, type Event, type IDisposable, type TimeoutPolicy } from 'cockatiel';
import type { IntegrationBase } from '../../core/model';
import { isRetryableFailure } from './attemptFailure';
import { IntegrationBreaker, type BreakerState } from './integrationBreaker';
import { TokenBucket } from './rateLimiter';

/** The policies one integration shares across all its calls. */
export interface IntegrationPolicies {
  readonly breaker: IntegrationBreaker;
  readonly bulkhead: BulkheadPolicy;
  /** Per attempt; cooperative, so the request is aborted rather than left running. */
  readonly timeout: TimeoutPolicy;
  readonly rateLimiter?: TokenBucket;
}

export interface BreakerChange {
  integration: string;
  state: BreakerState;
}

type Settings = Pick<IntegrationBase, 'name' | 'timeoutMs' | 'circuitBreaker' | 'bulkhead' | 'rateLimit'>;

/**
 * One set of policies per integration name for the life of the process, so a
 * breaker's state survives between runs and the UI can show it. Settings that
 * change (the file was edited) replace the set, and so reset the breaker.
 */
export class ResilienceRegistry implements IDisposable {
  private readonly entries = new Map<string, { key: string; policies: IntegrationPolicies; subscription: IDisposable }>();
  /** The settings key per model object, so the hot path skips serialising settings on every call. */
  private readonly keys = new WeakMap<Settings, string>();
  private readonly changed = new EventEmitter<BreakerChange>();
  readonly onDidChangeBreaker: Event<BreakerChange> = this.changed.addListener;

  policiesFor(integration: Settings): IntegrationPolicies {
    let key = this.keys.get(integration);
    if (key === undefined) {
      key = JSON.stringify([integration.timeoutMs, integration.circuitBreaker, integration.bulkhead, integration.rateLimit]);
      this.keys.set(integration, key);
    }
    const existing = this.entries.get(integration.name);
    if (existing?.key === key) return existing.policies;
    const previous = existing?.policies.breaker.state;
    existing?.subscription.dispose();
    existing?.policies.breaker.dispose();
    const breaker = new IntegrationBreaker(integration.circuitBreaker, isRetryableFailure);
    const policies: IntegrationPolicies = {
      breaker,
      bulkhead: bulkhead(Math.max(1, integration.bulkhead.maxConcurrent), Math.max(0, integration.bulkhead.maxQueue)),
      timeout: timeout(integration.timeoutMs, { strategy: TimeoutStrategy.Cooperative, abortOnReturn: false }),
      rateLimiter: integration.rateLimit && new TokenBucket(integration.rateLimit),
    };
    const subscription = breaker.onDidChangeState((state) => this.changed.emit({ integration: integration.name, state }));
    this.entries.set(integration.name, { key, policies, subscription });
    if (previous && previous !== 'closed') this.changed.emit({ integration: integration.name, state: 'closed' });
    return policies;
  }

  breakerState(name: string): BreakerState | undefined {
    return this.entries.get(name)?.policies.breaker.state;
  }

  breakerStates(): BreakerChange[] {
    return [...this.entries].map(([integration, entry]) => ({ integration, state: entry.policies.breaker.state }));
  }

  dispose(): void {
    for (const entry of this.entries.values()) {
      entry.subscription.dispose();
      entry.policies.breaker.dispose();
    }
    this.entries.clear();
  }
}

/** The process-wide registry the runners, the health scheduler and the UI share. */
export const resilienceRegistry = new ResilienceRegistry();
