import {
  context,
  isSpanContextValid,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context as OtelContext,
  type Span,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

// W3C trace context and async context are process-wide and set once, whatever starts tracing.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());

let provider: BasicTracerProvider | undefined;

/**
 * Starts tracing for this process as `service`: spans are recorded (so every log line has a
 * trace id) and, when `zipkinUrl` is set (`OTEL_EXPORTER_ZIPKIN_ENDPOINT`, e.g.
 * http://127.0.0.1:9411/api/v2/spans), exported to Zipkin in batches; the exporter is loaded only
 * then. The first call in a process wins. Returns a flush for shutdown.
 */
export async function startTracing(service: string, zipkinUrl: string | undefined): Promise<() => Promise<void>> {
  if (!provider) {
    const exporter = zipkinUrl
      ? new (await import('@opentelemetry/exporter-zipkin')).ZipkinExporter({ url: zipkinUrl })
      : undefined;
    provider ??= new BasicTracerProvider({
      // 'service.name' is the semantic conventions' ATTR_SERVICE_NAME (their package is large to load for one string).
      resource: resourceFromAttributes({ 'service.name': service }),
      spanProcessors: exporter ? [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 500 })] : [],
    });
    trace.setGlobalTracerProvider(provider);
  }
  const p = provider;
  return () => p.forceFlush();
}

const tracer = () => trace.getTracer('daprps');

/** The W3C `traceparent` of the active span, to put on what leaves the process (headers, events). */
export function activeTraceparent(): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** Writes the active trace context into outgoing HTTP headers (`traceparent`, lower case). */
export const injectTraceHeaders = (headers: Record<string, string>) => propagation.inject(context.active(), headers);

/**
 * The context a `traceparent` (from a request, a Kafka header or a CloudEvent) continues; the
 * active one when absent.
 */
export function contextFrom(traceparent: string | undefined): OtelContext {
  return traceparent ? propagation.extract(context.active(), { traceparent }) : context.active();
}

/** Trace and span ids of a span, for log lines. */
export function traceFields(span: Span): { trace_id?: string; span_id?: string } {
  const sc = span.spanContext();
  return isSpanContextValid(sc) ? { trace_id: sc.traceId, span_id: sc.spanId } : {};
}

/**
 * Runs `fn` in a new span (child of `parent`, else of the active span), ending it after: an
 * error thrown marks the span and is rethrown.
 */
export async function inSpan<T>(
  name: string,
  kind: SpanKind,
  attributes: Record<string, string | number>,
  fn: (span: Span) => Promise<T>,
  parent: OtelContext = context.active(),
): Promise<T> {
  const span = tracer().startSpan(name, { kind, attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (e) {
    span.recordException(e as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (e as Error).message });
    throw e;
  } finally {
    span.end();
  }
}

export { SpanKind, SpanStatusCode };
