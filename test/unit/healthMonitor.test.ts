import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runnerError } from '../../src/runners/errors';
import type { Clock } from '../../src/runners/health/clock';
import { HealthMonitor, type HealthChange } from '../../src/runners/health/healthMonitor';
import { healthResult, type HealthState } from '../../src/runners/health/healthResult';
import type { HealthTarget } from '../../src/runners/health/healthTarget';
import { AttemptFailure } from '../../src/runners/http/attemptFailure';
import { ResilienceRegistry } from '../../src/runners/http/resilienceRegistry';
import { httpIntegration } from '../support/httpIntegration';

/** Timers that fire only when the test moves time on. */
class FakeClock implements Clock {
  private time = 0;
  private nextId = 0;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.nextId;
    this.timers.set(id, { at: this.time + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pending(): number {
    return this.timers.size;
  }

  /** Moves time on by `ms`, firing due timers in order and letting the probes they start finish. */
  async advance(ms: number): Promise<void> {
    await settle();
    const end = this.time + ms;
    for (;;) {
      const due = [...this.timers].filter(([, timer]) => timer.at <= end).sort(([, a], [, b]) => a.at - b.at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].callback();
      await settle();
    }
    this.time = end;
    await settle();
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** A target whose next results the test scripts; it records when (on the fake clock) it was probed. */
function scripted(name: string, clock: FakeClock, intervalMs: number, states: Array<HealthState | [HealthState, string]>) {
  const probedAt: number[] = [];
  const target: HealthTarget = {
    name,
    type: 'request_response',
    intervalMs,
    probe: async () => {
      const next = states[Math.min(probedAt.length, states.length - 1)];
      probedAt.push(clock.now());
      const [state, detail] = Array.isArray(next) ? next : [next, `answered in ${probedAt.length * 7} ms`];
      return healthResult({ state, latencyMs: probedAt.length, detail });
    },
  };
  return { target, probedAt };
}

describe('HealthMonitor', () => {
  it('probes at the interval, backs off exponentially while unhealthy up to the cap, and resets on success', async () => {
    const clock = new FakeClock();
    const { target, probedAt } = scripted('api', clock, 1000, ['unhealthy', 'unhealthy', 'unhealthy', 'unhealthy', 'unhealthy', 'healthy', 'healthy', 'unhealthy']);
    const monitor = new HealthMonitor([target], {
      trusted: true,
      clock,
      maxBackoffMs: 10_000,
    });
    monitor.start();
    await clock.advance(60_000);
    monitor.dispose();
    const waits = probedAt.slice(1).map((at, index) => at - probedAt[index]);
    // 2x, 4x, 8x, capped at 10 s, capped, then the interval again after the success, and 2x after the next failure.
    assert.deepEqual(waits.slice(0, 8), [2000, 4000, 8000, 10_000, 10_000, 1000, 1000, 2000]);
  });

  it('announces a result only when its state, breaker or wording changes, not its numbers', async () => {
    const clock = new FakeClock();
    const { target } = scripted('api', clock, 1000, ['healthy', 'healthy', 'healthy', ['degraded', 'slow'], ['degraded', 'slow'], 'healthy']);
    const monitor = new HealthMonitor([target], { trusted: true, clock });
    const changes: HealthChange[] = [];
    monitor.onDidChange((change) => changes.push(change));
    monitor.start();
    await clock.advance(5500);
    monitor.dispose();
    assert.deepEqual(
      changes.map((change) => [change.name, change.previous?.state, change.result.state]),
      [
        ['api', undefined, 'healthy'],
        ['api', 'healthy', 'degraded'],
        ['api', 'degraded', 'healthy'],
      ],
    );
    assert.equal(monitor.results()[0].result.state, 'healthy');
    assert.equal(monitor.results()[0].result.latencyMs, 6, 'results() has the latest probe, announced or not');
  });

  it('keeps at most `concurrency` probes in flight', async () => {
    const clock = new FakeClock();
    let inFlight = 0;
    let maxInFlight = 0;
    const targets: HealthTarget[] = Array.from({ length: 20 }, (_, index) => ({
      name: `t${index}`,
      type: 'webhook',
      intervalMs: 1000,
      probe: async () => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return healthResult({ state: 'healthy', latencyMs: 5, detail: 'ok' });
      },
    }));
    const monitor = new HealthMonitor(targets, {
      trusted: true,
      clock,
      concurrency: 3,
    });
    await monitor.refresh();
    const pendingBeforeDispose = clock.pending;
    monitor.dispose();
    assert.equal(maxInFlight, 3);
    assert.equal(monitor.results().length, 20);
    assert.equal(pendingBeforeDispose, 0, 'before start() a refresh schedules nothing');
  });

  it('refresh(name) probes that target now and restarts its schedule', async () => {
    const clock = new FakeClock();
    const a = scripted('a', clock, 1000, ['healthy']);
    const b = scripted('b', clock, 1000, ['healthy']);
    const monitor = new HealthMonitor([a.target, b.target], {
      trusted: true,
      clock,
    });
    monitor.start();
    await clock.advance(400);
    await monitor.refresh('a');
    await clock.advance(700);
    monitor.dispose();
    assert.deepEqual(a.probedAt, [0, 400], 'refreshed at 400, so not due again until 1400');
    assert.deepEqual(b.probedAt, [0, 1000]);
  });

  it('dispose aborts the probes in flight, drops their results and stops the schedule', async () => {
    const clock = new FakeClock();
    let seen: AbortSignal | undefined;
    const target: HealthTarget = {
      name: 'stalled',
      type: 'message_queue',
      intervalMs: 1000,
      probe: (signal) => {
        seen = signal;
        return new Promise((resolve) =>
          signal.addEventListener('abort', () =>
            resolve(
              healthResult({
                state: 'unhealthy',
                latencyMs: 0,
                detail: 'cancelled',
              }),
            ),
          ),
        );
      },
    };
    const monitor = new HealthMonitor([target], { trusted: true, clock });
    const changes: HealthChange[] = [];
    monitor.onDidChange((change) => changes.push(change));
    monitor.start();
    await settle();
    assert.equal(seen?.aborted, false);
    monitor.dispose();
    await settle();
    assert.equal(seen?.aborted, true);
    assert.deepEqual(changes, []);
    assert.deepEqual(monitor.results(), []);
    assert.equal(clock.pending, 0);
  });

  it('untrusted: probes nothing and reports every target unknown, "workspace not trusted"', async () => {
    const clock = new FakeClock();
    const { target, probedAt } = scripted('api', clock, 1000, ['healthy']);
    const monitor = new HealthMonitor([target], { trusted: false, clock });
    const changes: HealthChange[] = [];
    monitor.onDidChange((change) => changes.push(change));
    monitor.start();
    await monitor.refresh();
    await clock.advance(10_000);
    monitor.dispose();
    assert.deepEqual(probedAt, []);
    assert.deepEqual(
      changes.map((change) => [change.result.state, change.result.detail]),
      [['unknown', 'workspace not trusted']],
    );
  });

  it('probes a target again at once when its circuit breaker changes state', async () => {
    const clock = new FakeClock();
    const registry = new ResilienceRegistry();
    const { target, probedAt } = scripted('api', clock, 60_000, ['healthy']);
    const monitor = new HealthMonitor([target], {
      trusted: true,
      clock,
      registry,
    });
    monitor.start();
    await settle();
    const breaker = registry.policiesFor(
      httpIntegration('http://127.0.0.1:1', {
        circuitBreaker: {
          failureThreshold: 1,
          openMs: 60_000,
          halfOpenMaxCalls: 1,
        },
      }),
    ).breaker;
    await breaker.execute(() => Promise.reject(new AttemptFailure(runnerError('transient', 'connection refused'), true))).catch(() => undefined);
    await settle();
    monitor.dispose();
    registry.dispose();
    assert.equal(breaker.state, 'open');
    assert.deepEqual(probedAt, [0, 0], 'probed at start and again when the breaker opened');
  });
});
