import { bulkhead, EventEmitter, timeout, TimeoutStrategy, type BulkheadPolicy, type Event, type IDisposable, type TimeoutPolicy } from 'cockatiel';
import type { IntegrationBase } from '../../core/model';
import { KeyedCache } from '../keyedCache';
import { isRetryableFailure } from './attemptFailure';
import { IntegrationBreaker, type BreakerState } from './integrationBreaker';
import { RateLimitPolicy } from './rateLimiter';

/** The policies one integration shares across all its calls (the retry is per call: see attemptPipeline.ts). */
export interface IntegrationPolicies {
  readonly bulkhead: BulkheadPolicy;
  /** One token per attempt; lets every call through when the integration has no `rate_limit`. */
  readonly rateLimit: RateLimitPolicy;
  readonly breaker: IntegrationBreaker;
  /** Per attempt; cooperative, so the request is aborted rather than left running. */
  readonly timeout: TimeoutPolicy;
}

export interface BreakerChange {
  integration: string;
  state: BreakerState;
}

type Settings = Pick<IntegrationBase, 'name' | 'timeoutMs' | 'circuitBreaker' | 'bulkhead' | 'rateLimit'>;

interface Entry {
  policies: IntegrationPolicies;
  subscription: IDisposable;
}

/**
 * One set of policies per integration name (request_response, webhook and
 * event integrations alike), so a breaker's state survives between runs and
 * the UI can show it. Settings that change (the file was edited) replace the
 * set, and so reset the breaker (announced as `closed`).
 */
export class ResilienceRegistry implements IDisposable {
  private readonly changed = new EventEmitter<BreakerChange>();
  readonly onDidChangeBreaker: Event<BreakerChange> = this.changed.addListener;
  private readonly entries = new KeyedCache<Settings, Entry>({
    fingerprint: (integration) => JSON.stringify([integration.timeoutMs, integration.circuitBreaker, integration.bulkhead, integration.rateLimit]),
    create: (integration) => {
      const breaker = new IntegrationBreaker(integration.circuitBreaker, isRetryableFailure);
      const policies: IntegrationPolicies = {
        bulkhead: bulkhead(Math.max(1, integration.bulkhead.maxConcurrent), Math.max(0, integration.bulkhead.maxQueue)),
        rateLimit: new RateLimitPolicy(integration.rateLimit, integration.timeoutMs),
        breaker,
        timeout: timeout(integration.timeoutMs, { strategy: TimeoutStrategy.Cooperative, abortOnReturn: false }),
      };
      return { policies, subscription: breaker.onDidChangeState((state) => this.changed.emit({ integration: integration.name, state })) };
    },
    replaced: (name, previous) => {
      if (previous.policies.breaker.state !== 'closed') this.changed.emit({ integration: name, state: 'closed' });
    },
    dispose: ({ policies, subscription }) => {
      subscription.dispose();
      policies.breaker.dispose();
    },
  });

  policiesFor(integration: Settings): IntegrationPolicies {
    return this.entries.get(integration).policies;
  }

  breakerState(name: string): BreakerState | undefined {
    return this.entries.peek(name)?.policies.breaker.state;
  }

  breakerStates(): BreakerChange[] {
    return [...this.entries.values()].map(([integration, entry]) => ({ integration, state: entry.policies.breaker.state }));
  }

  dispose(): void {
    void this.entries.dispose();
  }
}
