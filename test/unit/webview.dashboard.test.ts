import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dashboardModel, sparkline, SPARKLINE_SAMPLES, type DashboardEntry } from '../../src/extension/webviews/dashboardModel';
import { healthResult, type HealthState } from '../../src/runners/health/healthResult';

function entry(name: string, state: HealthState, latencies: number[], fields: { breaker?: 'open' | 'closed' | 'half-open'; detail?: string } = {}): DashboardEntry {
  const result = healthResult({ state, latencyMs: latencies.at(-1) ?? 0, detail: fields.detail ?? `${name} answered`, breaker: fields.breaker });
  const history = latencies.map((latencyMs, index) => ({ checkedAt: new Date(Date.UTC(2026, 11, 7, 10, 0, index)).toISOString(), state: index === 1 ? ('unhealthy' as const) : state, latencyMs }));
  return { key: `request_response:${name}`, name, type: 'request_response', result, history };
}

describe('health dashboard view model', () => {
  it('one row per target, sorted by name, with its state as a codicon and a tone, detail, breaker and latency', () => {
    const model = dashboardModel([entry('tracker', 'healthy', [10, 20, 30]), entry('billing', 'unhealthy', [5, 5], { detail: 'HTTP 503' }), entry('search', 'degraded', [1]), entry('crm', 'healthy', [4, 4], { breaker: 'open' })], true);
    assert.deepEqual(
      model.rows.map((row) => [row.name, row.state.text, row.state.icon, row.state.tone, row.detail, row.breaker ?? '—', row.latency]),
      [
        ['billing', 'unhealthy', 'error', 'error', 'HTTP 503', '—', '5 ms'],
        ['crm', 'circuit open', 'circle-slash', 'error', 'crm answered', 'open', '4 ms'],
        ['search', 'degraded', 'warning', 'warning', 'search answered', '—', '1 ms'],
        ['tracker', 'healthy', 'pass-filled', 'ok', 'tracker answered', '—', '30 ms'],
      ],
    );
    assert.equal(model.summary, '1 healthy, 1 degraded, 2 down');
    assert.equal(model.canOpenDefinition, true);
    assert.equal(model.rows.find((row) => row.name === 'search')?.sparkline, undefined, 'one probe draws no line');
  });

  it('says so when there is nothing to watch', () => {
    const model = dashboardModel([]);
    assert.match(model.summary, /Nothing to watch/);
    assert.equal(model.canOpenDefinition, false);
  });

  it('draws the latency history as a polyline scaled to the tallest probe, marking probes that were not healthy', () => {
    const line = sparkline(entry('tracker', 'healthy', [0, 50, 100]).history);
    assert.ok(line);
    assert.equal(line.maxMs, 100);
    assert.equal(line.points, '2,22 60,12 118,2');
    assert.deepEqual(line.marks, [{ x: 60, y: 12, tone: 'error' }]);
  });

  it('keeps to the last SPARKLINE_SAMPLES probes, inside its box whatever the values', () => {
    const latencies = Array.from({ length: SPARKLINE_SAMPLES + 40 }, (_, index) => (index % 7) * 1000);
    const line = sparkline(entry('flapping', 'healthy', latencies).history);
    assert.ok(line);
    const points = line.points.split(' ').map((point) => point.split(',').map(Number));
    assert.equal(points.length, SPARKLINE_SAMPLES);
    for (const [x, y] of points) assert.ok(x >= 0 && x <= line.width && y >= 0 && y <= line.height, `${x},${y}`);
    const flat = sparkline(entry('idle', 'healthy', [0, 0]).history);
    assert.equal(flat?.points, '2,22 118,22', 'all-zero latencies stay on the baseline');
  });
});
