import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { Redactor } from '../../core/redactor';

/** The span as exported: its name, attributes, events and status message with every secret value masked. */
function redactedSpan(span: ReadableSpan, secrets: Redactor): ReadableSpan {
  // The span itself stays as the SDK made it (read-only once ended); exporters read through this view.
  return Object.create(span, {
    name: { value: secrets.redact(span.name) },
    attributes: { value: secrets.redactDeep({ ...span.attributes }) },
    events: { value: span.events.map((event) => ({ ...event, name: secrets.redact(event.name), attributes: event.attributes && secrets.redactDeep({ ...event.attributes }) })) },
    status: { value: span.status.message === undefined ? span.status : { ...span.status, message: secrets.redact(span.status.message) } },
  }) as ReadableSpan;
}

/** Every exporter of ours sees spans only through this: the one place spans are masked (see Redactor). */
export function redactingExporter(exporter: SpanExporter, secrets: Redactor): SpanExporter {
  return {
    export: (spans: ReadableSpan[], done: (result: ExportResult) => void) => exporter.export(spans.map((span) => redactedSpan(span, secrets)), done),
    shutdown: () => exporter.shutdown(),
    forceFlush: exporter.forceFlush && (() => exporter.forceFlush!()),
  };
}
