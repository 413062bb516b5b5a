import { trace } from '@opentelemetry/api';
import { beforeAll, describe, expect, it } from 'vitest';
import { activeTraceparent, contextFrom, inSpan, SpanKind, startTracing, traceFields } from './tracing.ts';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const PARENT = 'b7ad6b7169203331';

describe('tracing without an exporter: spans are ids only', () => {
  beforeAll(async () => {
    await startTracing('test', undefined);
  });

  it("starts a sampled trace, or continues the caller's with its flags, with a span id of its own", async () => {
    const fresh = await inSpan('GET', SpanKind.SERVER, {}, async (span) => {
      expect(span.isRecording()).toBe(false);
      return { fields: traceFields(span), traceparent: activeTraceparent() };
    });
    expect(fresh.fields.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(fresh.fields.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(fresh.traceparent).toBe(`00-${fresh.fields.trace_id}-${fresh.fields.span_id}-01`);

    for (const flags of ['01', '00']) {
      const parent = contextFrom(`00-${TRACE}-${PARENT}-${flags}`);
      const child = await inSpan('GET', SpanKind.SERVER, {}, async () => activeTraceparent(), parent);
      expect(child).toMatch(new RegExp(`^00-${TRACE}-(?!${PARENT})[0-9a-f]{16}-${flags}$`));
    }
    // An invalid parent (all zeros) starts a trace of its own, as the SDK does.
    const zeros = contextFrom(`00-${'0'.repeat(32)}-${'0'.repeat(16)}-01`);
    const own = await inSpan('GET', SpanKind.SERVER, {}, async (span) => traceFields(span), zeros);
    expect(own.trace_id).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
  });

  it("runs an INTERNAL span's work in its parent's span, and a CONSUMER's in a span of its own", async () => {
    await inSpan('GET', SpanKind.SERVER, {}, async (server) => {
      const inner = await inSpan('fn', SpanKind.INTERNAL, {}, async (span) => [span, trace.getActiveSpan()]);
      expect(inner).toEqual([server, server]);
      const consumer = await inSpan('topic', SpanKind.CONSUMER, {}, async (span) => span.spanContext());
      expect(consumer.traceId).toBe(server.spanContext().traceId);
      expect(consumer.spanId).not.toBe(server.spanContext().spanId);
    });
    const elsewhere = contextFrom(`00-${TRACE}-${PARENT}-01`);
    const under = await inSpan('fn', SpanKind.INTERNAL, {}, async () => activeTraceparent(), elsewhere);
    expect(under).toBe(`00-${TRACE}-${PARENT}-01`);
  });
});
