import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { ResilienceRegistry } from '../../src/runners/http/resilienceRegistry';
import { runEndpoint } from '../../src/runners/http/runEndpoint';
import { closeSharedAgent } from '../../src/runners/http/sharedAgent';
import type { RecordedSpan } from '../../src/runners/telemetry/spanStore';
import { otlpTracesUrl, setupTelemetry } from '../../src/runners/telemetry/telemetry';
import { FlakyServer, ok, sequence } from '../support/flakyServer';
import { httpIntegration } from '../support/httpIntegration';

const SECRET = 'sk_live_0123456789';

describe('telemetry: one client span per attempt, under one span for the run', () => {
  let server: FlakyServer;
  before(async () => {
    server = await FlakyServer.start();
    // Warm up (first-use compilation of undici and the SDK) so the per-attempt timeouts below measure the server.
    await runEndpoint(httpIntegration(server.url), 'ping', { registry: new ResilienceRegistry() });
  });
  after(async () => {
    await server?.close();
    await closeSharedAgent();
  });

  const integration = () =>
    httpIntegration(`http://svc:${SECRET}@127.0.0.1:0`, {
      baseUrl: undefined,
      timeoutMs: 150,
      auth: { type: 'api_key', key: SECRET, header: 'X-API-Key' },
      endpoints: [{ name: 'orders', url: `http://svc:${SECRET}@127.0.0.1:${server.port}/orders?limit=5&api_key=${SECRET}` }],
    });

  it('records each attempt with the HTTP client conventions and sends its traceparent', async () => {
    const telemetry = setupTelemetry({ exporter: 'memory', env: {} });
    try {
      const announced: RecordedSpan[] = [];
      telemetry.spans.onDidAddSpans((spans) => announced.push(...spans));
      server.respond(sequence({ status: 503 }, 'stall', 'reset', ok()));
      const result = await runEndpoint(integration(), 'orders', { registry: new ResilienceRegistry() });
      assert.equal(result.attempts.length, 4);
      await telemetry.flush();

      const all = telemetry.spans.spans();
      assert.deepEqual(announced, all);
      const spans = all.filter((span) => span.kind === 'client');
      assert.equal(spans.length, 4, 'one span per attempt');
      const runs = all.filter((span) => span.kind === 'internal');
      assert.equal(runs.length, 1, 'one span for the run');
      const [run] = runs;
      assert.equal(run.name, 'run api.orders');
      assert.equal(result.traceId, run.traceId, 'the result names the trace of its run');
      assert.ok(spans.every((span) => span.traceId === run.traceId && span.parentSpanId === run.spanId), 'every attempt is a child of the run');
      assert.equal(run.status, 'unset', 'the run succeeded in the end');
      for (const [index, span] of spans.entries()) {
        assert.equal(span.name, 'HTTP GET');
        assert.equal(span.kind, 'client');
        assert.equal(span.attributes['http.request.method'], 'GET');
        assert.equal(span.attributes['url.full'], `http://***@127.0.0.1:${server.port}/orders?limit=5&api_key=***`);
        assert.equal(span.attributes['server.address'], '127.0.0.1');
        assert.equal(span.attributes['server.port'], server.port);
        assert.equal(span.attributes['http.request.resend_count'], index === 0 ? undefined : index);
        assert.equal(server.requests[index].headers.traceparent, `00-${span.traceId}-${span.spanId}-01`, 'the server got this attempt\'s context');
      }
      assert.deepEqual(spans.map((span) => span.attributes['http.response.status_code']), [503, undefined, undefined, 200]);
      assert.equal(spans[0].attributes['error.type'], '503');
      assert.equal(spans[1].attributes['error.type'], 'timeout');
      assert.equal(result.attempts[2].error?.kind, 'transient', JSON.stringify(result.attempts[2]));
      assert.equal(spans[2].attributes['error.type'], result.attempts[2].error?.code, 'the reset is typed by its socket error code');
      assert.equal(spans[3].attributes['error.type'], undefined);
      assert.deepEqual(spans.map((span) => span.status), ['error', 'error', 'error', 'unset']);
      assert.ok(!JSON.stringify(spans).includes(SECRET), 'no secret in any span');
      assert.ok(!JSON.stringify(server.requests.map((request) => request.headers.traceparent)).includes(SECRET));

      const collected = await telemetry.collectMetrics();
      const metric = collected.resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).find((candidate) => candidate.descriptor.name === 'http.client.request.duration') as HistogramMetricData | undefined;
      assert.ok(metric, 'the duration histogram was recorded');
      assert.equal(metric.descriptor.unit, 's');
      const points = metric.dataPoints;
      assert.equal(points.reduce((sum, point) => sum + point.value.count, 0), 4);
      const timedOut = points.find((point) => point.attributes['error.type'] === 'timeout');
      assert.ok(timedOut && timedOut.value.sum! >= 0.14 && timedOut.value.sum! < 1, `a timed-out attempt took ${timedOut?.value.sum} s`);
    } finally {
      await telemetry.dispose();
    }
  });

  it('sends no traceparent once telemetry is off, and the result has no trace id', async () => {
    server.respond(ok());
    const result = await runEndpoint(integration(), 'orders', { registry: new ResilienceRegistry() });
    assert.equal(server.requests[0].headers.traceparent, undefined);
    assert.equal(result.traceId, undefined);
  });

  it('exports spans over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set', async () => {
    const collector = await FlakyServer.start();
    try {
      collector.respond({ status: 200, body: {} });
      const telemetry = setupTelemetry({ env: { OTEL_EXPORTER_OTLP_ENDPOINT: `${collector.url}/otlp/` } });
      assert.equal(telemetry.otlpTracesUrl, `${collector.url}/otlp/v1/traces`);
      server.respond(ok());
      await runEndpoint(integration(), 'orders', { registry: new ResilienceRegistry() });
      await telemetry.dispose();
      assert.equal(collector.requests.length, 1);
      const exported = collector.requests[0];
      assert.equal(exported.method, 'POST');
      assert.equal(exported.url, '/otlp/v1/traces');
      const spans: Array<{ name: string }> = JSON.parse(exported.body).resourceSpans[0].scopeSpans[0].spans;
      assert.deepEqual(spans.map((span) => span.name).sort(), ['HTTP GET', 'run api.orders']);
      assert.ok(!exported.body.includes(SECRET));
    } finally {
      await collector.close();
    }
  });

  it('reads the signal-specific variable first, as the specification says', () => {
    assert.equal(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:4318/custom' }), 'http://b:4318/custom');
    assert.equal(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318' }), 'http://a:4318/v1/traces');
    assert.equal(otlpTracesUrl({}), undefined);
  });

  it('refuses a second setup while one is active', async () => {
    const first = setupTelemetry({ exporter: 'memory', env: {} });
    try {
      assert.throws(() => setupTelemetry({ exporter: 'memory', env: {} }), /already set up/);
    } finally {
      await first.dispose();
    }
  });
});
