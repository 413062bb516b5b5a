import { randomFillSync } from 'node:crypto';
import {
  context,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Context as OtelContext,
  type Span,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

// W3C trace context and async context are process-wide and set once, whatever starts tracing.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());

/**
 * How spans are made: not at all before {@link startTracing} (the API's no-op spans), ids only
 * when nothing exports them, recorded by the OpenTelemetry SDK when something does.
 */
let mode: 'off' | 'ids' | 'export' = 'off';
let flush: () => Promise<void> = async () => {};

/**
 * Starts tracing for this process as `service`: every request and event gets a trace (so every log
 * line has a trace id, and what leaves the process carries its `traceparent`) and, when
 * `zipkinUrl` is set (`OTEL_EXPORTER_ZIPKIN_ENDPOINT`, e.g. http://127.0.0.1:9411/api/v2/spans),
 * its spans are recorded and exported to Zipkin in batches. Without an exporter a span is its ids
 * only (nothing would read its name, attributes or timing); the SDK and the exporter are loaded
 * only with one. The first call in a process wins. Returns a flush for shutdown.
 */
export async function startTracing(service: string, zipkinUrl: string | undefined): Promise<() => Promise<void>> {
  if (mode === 'off') {
    mode = zipkinUrl ? 'export' : 'ids';
    if (zipkinUrl) {
      const [{ ZipkinExporter }, { resourceFromAttributes }, { BasicTracerProvider, BatchSpanProcessor }] =
        await Promise.all([
          import('@opentelemetry/exporter-zipkin'),
          import('@opentelemetry/resources'),
          import('@opentelemetry/sdk-trace-base'),
        ]);
      const provider = new BasicTracerProvider({
        // 'service.name' is the semantic conventions' ATTR_SERVICE_NAME (their package is large to load for one string).
        resource: resourceFromAttributes({ 'service.name': service }),
        spanProcessors: [new BatchSpanProcessor(new ZipkinExporter({ url: zipkinUrl }), { scheduledDelayMillis: 500 })],
      });
      trace.setGlobalTracerProvider(provider);
      flush = () => provider.forceFlush();
    }
  }
  return () => flush();
}

/** Random bytes for ids, drawn a pool at a time. */
const pool = Buffer.alloc(4096);
let poolAt = pool.length;
function randomHex(bytes: number): string {
  if (poolAt + bytes > pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  poolAt += bytes;
  return pool.toString('hex', poolAt - bytes, poolAt);
}

/**
 * A span that is only ids: the parent's trace (and its sampling decision and trace state) or a new
 * sampled one, and a new span id; what the SDK's span would carry, without recording anything.
 */
function idsOnlySpan(parent: OtelContext): Span {
  const up = trace.getSpanContext(parent);
  const continues = up !== undefined && isSpanContextValid(up);
  return trace.wrapSpanContext({
    traceId: continues ? up.traceId : randomHex(16),
    spanId: randomHex(8),
    traceFlags: continues ? up.traceFlags : TraceFlags.SAMPLED,
    ...(continues && up.traceState ? { traceState: up.traceState } : {}),
  });
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
 * error thrown marks the span and is rethrown. `span.isRecording()` says whether its name,
 * attributes and status are kept. With ids only (nothing exported), a span inside the process
 * (INTERNAL) is not made: `fn` runs in `parent`'s span. Its own ids would be seen nowhere but as
 * the parent named by what a handler sends on, a span no exporter holds either way.
 */
export async function inSpan<T>(
  name: string,
  kind: SpanKind,
  attributes: Record<string, string | number>,
  fn: (span: Span) => Promise<T>,
  parent: OtelContext = context.active(),
): Promise<T> {
  if (mode === 'ids' && kind === SpanKind.INTERNAL) {
    const span = trace.getSpan(parent) ?? trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    return parent === context.active() ? fn(span) : context.with(parent, () => fn(span));
  }
  const span = mode === 'ids' ? idsOnlySpan(parent) : tracer().startSpan(name, { kind, attributes }, parent);
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
