import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HealthRefresh, type HealthDriver } from '../../src/extension/health/healthRefresh';
import { healthResult } from '../../src/runners/health/healthResult';
import { HealthMonitor } from '../../src/runners/health/healthMonitor';
import { healthKey, type HealthTarget } from '../../src/runners/health/healthTarget';
import { FakeClock, settle } from '../support/fakeClock';

/** The engine side as the extension wires it: a monitor over targets whose interval comes from a setting. */
function engineWith(clock: FakeClock) {
  const probedAt = new Map<string, number[]>();
  const settings = { intervalMs: 1000, names: ['api', 'db'] };
  let updates = 0;
  const monitor = new HealthMonitor([], { trusted: true, clock });
  const targets = (): HealthTarget[] =>
    settings.names.map((name) => ({
      key: healthKey('request_response', name),
      name,
      type: 'request_response',
      intervalMs: settings.intervalMs,
      fingerprint: String(settings.intervalMs),
      probe: async () => {
        const times = probedAt.get(name) ?? [];
        probedAt.set(name, [...times, clock.now()]);
        return healthResult({ state: 'healthy', latencyMs: 1, detail: 'ok' });
      },
    }));
  const driver: HealthDriver = {
    update: () => {
      updates++;
      monitor.update(targets());
    },
    start: () => monitor.start(),
    pause: () => monitor.pause(),
    refresh: (key) => monitor.refresh(key as never),
  };
  return { driver, monitor, settings, probedAt, updates: () => updates };
}

describe('the health refresh owner', () => {
  it('asks for the engine only once health is wanted, and probes nothing while neither the view nor the status bar shows it', async () => {
    const clock = new FakeClock();
    let asked = 0;
    const refresh = new HealthRefresh(() => asked++, { clock });
    refresh.setAllowed(true);
    assert.equal(asked, 0, 'nothing shows health yet: the engine stays unloaded');
    refresh.setViewVisible(true);
    assert.equal(asked, 1);

    const engine = engineWith(clock);
    refresh.setViewVisible(false);
    refresh.attach(engine.driver);
    await clock.advance(10_000);
    assert.equal(engine.probedAt.size, 0, 'hidden: no probe at all');
    refresh.dispose();
  });

  it('probes at the interval while the view is visible, stops when it is hidden, and goes on for the status bar alone', async () => {
    const clock = new FakeClock();
    const engine = engineWith(clock);
    const refresh = new HealthRefresh(() => undefined, { clock });
    refresh.attach(engine.driver);
    refresh.setAllowed(true);
    refresh.setViewVisible(true);
    await clock.advance(2500);
    assert.deepEqual(engine.probedAt.get('api'), [0, 1000, 2000]);

    refresh.setViewVisible(false);
    await clock.advance(5000);
    assert.deepEqual(engine.probedAt.get('api'), [0, 1000, 2000], 'hidden: the schedule stopped');

    refresh.setStatusBarShown(true);
    await clock.advance(1500);
    assert.deepEqual(engine.probedAt.get('api'), [0, 1000, 2000, 7500, 8500], 'the status bar alone keeps it going');
    refresh.setAllowed(false);
    await clock.advance(5000);
    assert.equal(engine.probedAt.get('api')!.length, 5, 'untrusted or switched off: nothing');
    refresh.dispose();
  });

  it('debounces workspace and setting changes into one update, with the new interval', async () => {
    const clock = new FakeClock();
    const engine = engineWith(clock);
    const refresh = new HealthRefresh(() => undefined, { clock, debounceMs: 500 });
    refresh.setAllowed(true);
    refresh.setStatusBarShown(true);
    refresh.attach(engine.driver);
    await clock.advance(100);
    assert.equal(engine.updates(), 1, 'the first targets go at once');

    engine.settings.intervalMs = 4000;
    engine.settings.names = ['api'];
    for (let edit = 0; edit < 5; edit++) {
      refresh.changed();
      await clock.advance(200);
    }
    assert.equal(engine.updates(), 1, 'still typing: no update yet');
    await clock.advance(300);
    assert.equal(engine.updates(), 2, 'one update after the burst');
    const before = engine.probedAt.get('api')!.length;
    await clock.advance(8000);
    assert.equal(engine.probedAt.get('api')!.length - before, 2, 'at the new 4 s interval');
    assert.deepEqual(engine.monitor.results().map((entry) => entry.key), [healthKey('request_response', 'api')], 'db is gone');
    refresh.dispose();
  });

  it('refreshes at once when asked, even while hidden, and one target only when given its key', async () => {
    const clock = new FakeClock();
    const engine = engineWith(clock);
    const refresh = new HealthRefresh(() => undefined, { clock });
    refresh.setAllowed(true);
    refresh.attach(engine.driver);
    await refresh.refreshNow('request_response:db');
    await settle();
    assert.deepEqual([...engine.probedAt.keys()], ['db']);
    await refresh.refreshNow();
    assert.deepEqual(engine.probedAt.get('api'), [0]);
    await clock.advance(5000);
    assert.deepEqual(engine.probedAt.get('api'), [0], 'a manual refresh starts no schedule');
    refresh.setAllowed(false);
    await refresh.refreshNow();
    assert.deepEqual(engine.probedAt.get('api'), [0], 'not allowed: not even on request');
    refresh.dispose();
  });
});
