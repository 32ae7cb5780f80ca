import { EventEmitter, type Event } from 'cockatiel';
import { SpanKind, SpanStatusCode, type Attributes } from '@opentelemetry/api';
import { ExportResultCode, hrTimeToMilliseconds, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** A finished span as plain data, ready to post to a webview or print. */
export interface RecordedSpan {
  name: string;
  kind: 'internal' | 'server' | 'client' | 'producer' | 'consumer';
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  /** Epoch milliseconds. */
  startTime: number;
  durationMs: number;
  attributes: Attributes;
  status: 'unset' | 'ok' | 'error';
  statusMessage?: string;
}

const KINDS: Record<SpanKind, RecordedSpan['kind']> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};
const STATUSES: Record<SpanStatusCode, RecordedSpan['status']> = { [SpanStatusCode.UNSET]: 'unset', [SpanStatusCode.OK]: 'ok', [SpanStatusCode.ERROR]: 'error' };

function toRecorded(span: ReadableSpan): RecordedSpan {
  const context = span.spanContext();
  const recorded: RecordedSpan = {
    name: span.name,
    kind: KINDS[span.kind],
    traceId: context.traceId,
    spanId: context.spanId,
    startTime: hrTimeToMilliseconds(span.startTime),
    durationMs: hrTimeToMilliseconds(span.duration),
    attributes: { ...span.attributes },
    status: STATUSES[span.status.code],
  };
  if (span.parentSpanContext) recorded.parentSpanId = span.parentSpanContext.spanId;
  if (span.status.message) recorded.statusMessage = span.status.message;
  return recorded;
}

/** An in-memory span exporter the extension reads: the latest `capacity` spans, and an event per exported batch. */
export class SpanStore implements SpanExporter {
  private readonly recorded: RecordedSpan[] = [];
  private readonly changed = new EventEmitter<readonly RecordedSpan[]>();
  /** Fires with the spans just added. */
  readonly onDidAddSpans: Event<readonly RecordedSpan[]> = this.changed.addListener;

  constructor(private readonly capacity = 1000) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const added = spans.map(toRecorded);
    this.recorded.push(...added);
    if (this.recorded.length > this.capacity) this.recorded.splice(0, this.recorded.length - this.capacity);
    this.changed.emit(added);
    resultCallback({ code: ExportResultCode.SUCCESS });
  }

  /** Oldest first. */
  spans(): readonly RecordedSpan[] {
    return this.recorded;
  }

  clear(): void {
    this.recorded.length = 0;
  }

  async shutdown(): Promise<void> {}
}
