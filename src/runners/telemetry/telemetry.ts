/**
 * The one place the OpenTelemetry SDK is set up; runners use only the API.
 * Spans always go to an in-memory SpanStore (the extension shows them), and
 * also over OTLP/HTTP when the standard `OTEL_EXPORTER_OTLP_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` variable is set. Metrics are read on
 * demand with `collectMetrics`.
 */
import { metrics, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, MetricReader, type CollectionResult } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { Redactor } from '../../core/redactor';
import { redactingExporter } from './redactedSpans';
import { SpanStore } from './spanStore';

export interface TelemetryOptions {
  /** `memory`: the SpanStore only. `auto` (default): the SpanStore, plus OTLP when the environment asks for it. */
  exporter?: 'memory' | 'auto';
  env?: NodeJS.ProcessEnv;
  serviceName?: string;
  /** Spans the store keeps (default 1000). */
  maxSpans?: number;
  /** The secret values masked in every exported span (a live set: values added later are masked from then on). */
  secrets?: Redactor;
}

export interface Telemetry {
  readonly spans: SpanStore;
  /** Where spans are also exported over OTLP, when they are. */
  readonly otlpTracesUrl?: string;
  /** The metrics recorded so far (cumulative). */
  collectMetrics(): Promise<CollectionResult>;
  /** Exports what is pending (OTLP batches included). */
  flush(): Promise<void>;
  /** Flushes, shuts the SDK down and unregisters it from the API. */
  dispose(): Promise<void>;
}

/** Reads metrics when asked, nothing periodic. */
class OnDemandMetricReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** The OTLP/HTTP traces URL the standard variables name, if any (the signal-specific one wins, and is used as is). */
export function otlpTracesUrl(env: NodeJS.ProcessEnv): string | undefined {
  const specific = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (specific) return specific;
  const general = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return general ? `${general.replace(/\/+$/, '')}/v1/traces` : undefined;
}

export function setupTelemetry(options: TelemetryOptions = {}): Telemetry {
  const env = options.env ?? process.env;
  const spans = new SpanStore(options.maxSpans);
  const resource = resourceFromAttributes({ 'service.name': options.serviceName ?? env.OTEL_SERVICE_NAME ?? 'simone-integrations' });
  const secrets = options.secrets ?? new Redactor();
  const processors: SpanProcessor[] = [new SimpleSpanProcessor(redactingExporter(spans, secrets))];
  const url = options.exporter === 'memory' ? undefined : otlpTracesUrl(env);
  if (url) processors.push(new BatchSpanProcessor(redactingExporter(new OTLPTraceExporter({ url }), secrets)));
  const tracerProvider = new BasicTracerProvider({ resource, spanProcessors: processors });
  const reader = new OnDemandMetricReader();
  const meterProvider = new MeterProvider({ resource, readers: [reader] });

  // The API keeps the first provider registered; a second setup would silently record nowhere.
  if (!trace.setGlobalTracerProvider(tracerProvider)) throw new Error('telemetry is already set up: dispose the previous setup first');
  metrics.setGlobalMeterProvider(meterProvider);
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());

  const flush = async () => {
    await tracerProvider.forceFlush();
  };
  return {
    spans,
    otlpTracesUrl: url,
    collectMetrics: () => reader.collect(),
    flush,
    async dispose() {
      await flush();
      trace.disable();
      metrics.disable();
      propagation.disable();
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}
