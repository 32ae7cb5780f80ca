import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runnerError } from '../../src/runners/errors';
import { HealthMonitor, type HealthChange } from '../../src/runners/health/healthMonitor';
import { healthResult, type HealthState } from '../../src/runners/health/healthResult';
import { healthKey, type HealthKey, type HealthTarget, type HealthTargetType } from '../../src/runners/health/healthTarget';
import { AttemptFailure } from '../../src/runners/http/attemptFailure';
import { ResilienceRegistry } from '../../src/runners/http/resilienceRegistry';
import { FakeClock, settle } from '../support/fakeClock';
import { httpIntegration } from '../support/httpIntegration';

function targetOf(name: string, type: HealthTargetType, intervalMs: number, probe: HealthTarget['probe'], fingerprint = 'settings-1'): HealthTarget {
  return { key: healthKey(type, name), name, type, intervalMs, fingerprint, probe };
}

/** A target whose next results the test scripts; it records when (on the fake clock) it was probed. */
function scripted(name: string, clock: FakeClock, intervalMs: number, states: Array<HealthState | [HealthState, string]>, options: { type?: HealthTargetType; fingerprint?: string } = {}) {
  const probedAt: number[] = [];
  const target = targetOf(
    name,
    options.type ?? 'request_response',
    intervalMs,
    async () => {
      const next = states[Math.min(probedAt.length, states.length - 1)];
      probedAt.push(clock.now());
      const [state, detail] = Array.isArray(next) ? next : [next, `answered in ${probedAt.length * 7} ms`];
      return healthResult({ state, latencyMs: probedAt.length, detail });
    },
    options.fingerprint,
  );
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
    const targets: HealthTarget[] = Array.from({ length: 20 }, (_, index) =>
      targetOf(`t${index}`, 'webhook', 1000, async () => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return healthResult({ state: 'healthy', latencyMs: 5, detail: 'ok' });
      }),
    );
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

  it('refresh(key) probes that target now and restarts its schedule', async () => {
    const clock = new FakeClock();
    const a = scripted('a', clock, 1000, ['healthy']);
    const b = scripted('b', clock, 1000, ['healthy']);
    const monitor = new HealthMonitor([a.target, b.target], {
      trusted: true,
      clock,
    });
    monitor.start();
    await clock.advance(400);
    await monitor.refresh('request_response:a');
    await clock.advance(700);
    monitor.dispose();
    assert.deepEqual(a.probedAt, [0, 400], 'refreshed at 400, so not due again until 1400');
    assert.deepEqual(b.probedAt, [0, 1000]);
  });

  it('dispose aborts the probes in flight, drops their results and stops the schedule', async () => {
    const clock = new FakeClock();
    let seen: AbortSignal | undefined;
    const target = targetOf('stalled', 'message_queue', 1000, (signal) => {
      seen = signal;
      return new Promise((resolve) => signal.addEventListener('abort', () => resolve(healthResult({ state: 'unhealthy', latencyMs: 0, detail: 'cancelled' }))));
    });
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

  it('update(): a target added, changed and removed leaves the others their results and back-off', async () => {
    const clock = new FakeClock();
    const failing = scripted('failing', clock, 1000, ['unhealthy']);
    const steady = scripted('steady', clock, 1000, ['healthy']);
    const leaving = scripted('leaving', clock, 1000, ['healthy']);
    const monitor = new HealthMonitor([failing.target, steady.target, leaving.target], { trusted: true, clock });
    const removed: HealthKey[] = [];
    monitor.onDidRemove(({ key }) => removed.push(key));
    monitor.start();
    await clock.advance(3000);
    const before = monitor.results();

    const changed = scripted('steady', clock, 1000, [['degraded', 'slow']], { fingerprint: 'settings-2' });
    const added = scripted('added', clock, 1000, ['healthy']);
    // A new model gives new target objects: the same key and fingerprint is the same target.
    monitor.update([{ ...failing.target }, changed.target, added.target]);
    const steadyBeforeItsProbe = monitor.results().find(({ key }) => key === 'request_response:steady');
    await settle();
    await clock.advance(4000);
    monitor.dispose();

    assert.deepEqual(removed, ['request_response:leaving']);
    assert.deepEqual(
      monitor.results().map(({ key, result }) => [key, result.state]),
      [
        ['request_response:failing', 'unhealthy'],
        ['request_response:steady', 'degraded'],
        ['request_response:added', 'healthy'],
      ],
    );
    // Backing off from 0: 2 s, then 4 s; the update at 3 s neither probed it nor reset the wait.
    assert.deepEqual(failing.probedAt, [0, 2000, 6000]);
    assert.equal(before.find(({ key }) => key === 'request_response:failing')?.result.state, 'unhealthy');
    assert.deepEqual(steady.probedAt, [0, 1000, 2000, 3000], 'the old settings are probed no more');
    assert.equal(steadyBeforeItsProbe?.result.state, 'healthy', 'a changed target shows its last result until its new probe answers');
    assert.deepEqual(changed.probedAt, [3000, 4000, 5000, 6000, 7000], 'a changed target is probed at once');
    assert.deepEqual(added.probedAt, [3000, 4000, 5000, 6000, 7000], 'a new target is probed at once');
    assert.deepEqual(leaving.probedAt, [0, 1000, 2000, 3000], 'a removed target is probed no more');
  });

  it('a changed target drops the result of its probe in flight', async () => {
    const clock = new FakeClock();
    let answer: (() => void) | undefined;
    const slow = targetOf('api', 'request_response', 1000, async () => {
      await new Promise<void>((resolve) => (answer = resolve));
      return healthResult({ state: 'unhealthy', latencyMs: 1, detail: 'old settings' });
    });
    const monitor = new HealthMonitor([slow], { trusted: true, clock });
    monitor.start();
    await settle();
    monitor.update([targetOf('api', 'request_response', 1000, async () => healthResult({ state: 'healthy', latencyMs: 1, detail: 'new settings' }), 'settings-2')]);
    await settle();
    answer?.();
    await settle();
    monitor.dispose();
    assert.deepEqual(
      monitor.results().map(({ result }) => result.detail),
      ['new settings'],
    );
  });

  it('keys by type:name: an integration and a microservice of one name are both watched', async () => {
    const clock = new FakeClock();
    const integration = scripted('users', clock, 1000, ['healthy']);
    const service = scripted('users', clock, 1000, ['unhealthy'], { type: 'microservice' });
    const monitor = new HealthMonitor([integration.target, service.target], { trusted: true, clock });
    await monitor.refresh();
    await monitor.refresh('microservice:users');
    monitor.update([integration.target]);
    monitor.dispose();
    assert.deepEqual(integration.probedAt, [0]);
    assert.deepEqual(service.probedAt, [0, 0]);
    assert.deepEqual(
      monitor.results().map(({ key, name, type, result }) => [key, name, type, result.state]),
      [['request_response:users', 'users', 'request_response', 'healthy']],
      'removing the microservice leaves the integration',
    );
  });

  it('announces each probe as it starts, once it has its slot', async () => {
    const clock = new FakeClock();
    const events: string[] = [];
    const monitor = new HealthMonitor([scripted('a', clock, 1000, ['healthy']).target, scripted('b', clock, 1000, ['healthy']).target], { trusted: true, clock, concurrency: 1 });
    monitor.onDidStartProbe(({ key }) => events.push(`start ${key}`));
    monitor.onDidChange(({ key }) => events.push(`result ${key}`));
    monitor.start();
    await clock.advance(1000);
    monitor.dispose();
    assert.deepEqual(events.slice(0, 6), [
      'start request_response:a',
      'result request_response:a',
      'start request_response:b',
      'result request_response:b',
      'start request_response:a',
      'start request_response:b',
    ]);
  });

  it('pause() stops the schedule; start() probes what fell due meanwhile and keeps the others on their time', async () => {
    const clock = new FakeClock();
    const often = scripted('often', clock, 1000, ['healthy']);
    const rarely = scripted('rarely', clock, 10_000, ['healthy']);
    const monitor = new HealthMonitor([often.target, rarely.target], { trusted: true, clock });
    monitor.start();
    await clock.advance(2500);
    monitor.pause();
    assert.equal(clock.pending, 0);
    await clock.advance(5000);
    assert.deepEqual(often.probedAt, [0, 1000, 2000], 'nothing probed while paused');
    monitor.start();
    await clock.advance(3000);
    monitor.dispose();
    assert.deepEqual(often.probedAt, [0, 1000, 2000, 7500, 8500, 9500, 10_500]);
    assert.deepEqual(rarely.probedAt, [0, 10_000], 'not due at the resume, so probed at its time');
  });
});
