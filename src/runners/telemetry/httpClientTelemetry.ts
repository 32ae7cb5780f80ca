/**
 * What a runner records for one run of HTTP requests (an endpoint call, a
 * webhook delivery, with their retries), through the OpenTelemetry API only
 * (no SDK here: without `setupTelemetry` all of it is a no-op): an INTERNAL
 * span for the run, so all its attempts share one trace; under it a CLIENT
 * span per request named `HTTP <METHOD>` with the HTTP client semantic
 * conventions, the W3C trace context injected into the request headers, and
 * the `http.client.request.duration` histogram.
 */
import { context, createNoopMeter, type Context, metrics, propagation, ProxyTracerProvider, SpanKind, SpanStatusCode, trace, type Attributes, type Histogram, type MeterProvider, type Span, type Tracer, type TracerProvider } from '@opentelemetry/api';

export const INSTRUMENTATION_SCOPE = 'simone-integrations.http';

/** The semantic conventions' recommended buckets for HTTP durations, in seconds. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

// What the API hands out while no SDK is set up (the proxy's fallback provider, the no-op meter's histogram).
const NOOP_TRACER_PROVIDER = new ProxyTracerProvider().getDelegate();
const NOOP_HISTOGRAM = createNoopMeter().createHistogram('');

// `trace.disable()` (a telemetry re-setup) swaps the global proxy provider and strands tracers taken from the
// old one: look the tracer up again whenever the global provider changes.
let cachedTracer: { provider: TracerProvider; tracer: Tracer } | undefined;
function tracer(): Tracer {
  const provider = trace.getTracerProvider();
  if (cachedTracer?.provider !== provider) cachedTracer = { provider, tracer: provider.getTracer(INSTRUMENTATION_SCOPE) };
  return cachedTracer.tracer;
}

// The metrics API has no proxy provider: look the histogram up again when the global provider changes.
let histogram: { provider: MeterProvider; instrument: Histogram } | undefined;
function durationHistogram(): Histogram {
  const provider = metrics.getMeterProvider();
  if (histogram?.provider !== provider) {
    const instrument = provider.getMeter(INSTRUMENTATION_SCOPE).createHistogram('http.client.request.duration', {
      unit: 's',
      description: 'Duration of HTTP client requests.',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    histogram = { provider, instrument };
  }
  return histogram.instrument;
}

export interface HttpRequestInfo {
  method: string;
  /** Already redacted. */
  urlFull: string;
  serverAddress: string;
  serverPort: number;
  /** 0 for the first attempt. */
  resendCount: number;
}

/** Names the run: the integration and its endpoint, webhook endpoint or event publisher called. */
export interface HttpRunInfo {
  integration: string;
  endpoint: string;
}

export interface HttpRequestRecording {
  /** Adds `traceparent` (and `tracestate`) when a span is being recorded. */
  inject(headers: Record<string, string>): void;
  /** Ends the span and records the duration; `errorType` marks a failure. */
  end(outcome: { status?: number; errorType?: string; errorMessage?: string }): void;
}

export interface HttpRunRecording {
  /** The trace all the run's spans belong to; absent when nothing is recorded. */
  readonly traceId?: string;
  startRequest(info: HttpRequestInfo): HttpRequestRecording;
  /** Ends the run's span; `errorType` marks a failed run. */
  end(outcome: { errorType?: string; errorMessage?: string }): void;
}

/** Nothing to record: no span would be sampled, no duration kept, so nothing is injected either. */
const NOT_RECORDING: HttpRequestRecording = { inject() {}, end() {} };
const NOT_RECORDING_RUN: HttpRunRecording = { startRequest: () => NOT_RECORDING, end() {} };

function isNoopTracing(): boolean {
  const provider = trace.getTracerProvider();
  return provider instanceof ProxyTracerProvider && provider.getDelegate() === NOOP_TRACER_PROVIDER;
}

function markFailure(span: Span, errorType: string | undefined, errorMessage: string | undefined): void {
  if (!errorType) return;
  span.setAttribute('error.type', errorType);
  span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage });
}

export function startHttpRun(run: HttpRunInfo): HttpRunRecording {
  // Without an SDK every span and measurement is dropped: skip building them (the runner's hot path).
  if (isNoopTracing() && durationHistogram() === NOOP_HISTOGRAM) return NOT_RECORDING_RUN;
  const runAttributes: Attributes = { 'simone.integration': run.integration, 'simone.endpoint': run.endpoint };
  const span = tracer().startSpan(`run ${run.integration}.${run.endpoint}`, { kind: SpanKind.INTERNAL, attributes: runAttributes });
  const spanContext = span.spanContext();
  const parent = trace.setSpan(context.active(), span);
  return {
    traceId: trace.isSpanContextValid(spanContext) ? spanContext.traceId : undefined,
    startRequest: (info) => startHttpRequest(info, runAttributes, parent),
    end({ errorType, errorMessage }) {
      markFailure(span, errorType, errorMessage);
      span.end();
    },
  };
}

function startHttpRequest(info: HttpRequestInfo, runAttributes: Attributes, parent: Context): HttpRequestRecording {
  const startedAt = performance.now();
  const attributes: Attributes = {
    'http.request.method': info.method,
    'url.full': info.urlFull,
    'server.address': info.serverAddress,
    'server.port': info.serverPort,
    ...runAttributes,
  };
  if (info.resendCount > 0) attributes['http.request.resend_count'] = info.resendCount;
  const span: Span = tracer().startSpan(`HTTP ${info.method}`, { kind: SpanKind.CLIENT, attributes }, parent);
  return {
    inject(headers) {
      if (span.isRecording()) propagation.inject(trace.setSpan(parent, span), headers);
    },
    end({ status, errorType, errorMessage }) {
      const metricAttributes: Attributes = { 'http.request.method': info.method, 'server.address': info.serverAddress, 'server.port': info.serverPort };
      if (status !== undefined) {
        span.setAttribute('http.response.status_code', status);
        metricAttributes['http.response.status_code'] = status;
      }
      markFailure(span, errorType, errorMessage);
      if (errorType) metricAttributes['error.type'] = errorType;
      span.end();
      durationHistogram().record((performance.now() - startedAt) / 1000, metricAttributes);
    },
  };
}
