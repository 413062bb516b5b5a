import { expect, it } from 'vitest';
import { asUser, call, eventually } from './running-shop.ts';

/** A span as Zipkin's v2 API returns it. */
interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  kind?: string;
  localEndpoint?: { serviceName?: string };
}

/** The spans Zipkin holds for a trace (none yet: empty). */
async function spansOf(zipkin: string, traceId: string): Promise<ZipkinSpan[]> {
  const res = await fetch(`${zipkin}/api/v2/trace/${traceId}`);
  return res.ok ? ((await res.json()) as ZipkinSpan[]) : [];
}

const hex = (bytes: number) =>
  Array.from({ length: bytes }, () =>
    Math.floor(Math.random() * 256)
      .toString(16)
      .padStart(2, '0'),
  ).join('');

/**
 * A test that a checkout started by a client with its own `traceparent` ends up in Zipkin as one
 * connected trace: the gateway's span, process-payment's, and both payment-completed handlers',
 * each span's parent in the trace (or the client's span).
 */
export function checkoutTrace(
  gw: { url: string },
  zipkin: string,
  services: { gateway: string; payment: string; handlers: string[] },
) {
  it('a checkout is one connected trace in Zipkin: gateway → process-payment → Kafka → both handlers', async () => {
    const traceId = hex(16);
    const clientSpan = hex(8);
    const headers = { traceparent: `00-${traceId}-${clientSpan}-01` };
    const user = `trace-${traceId.slice(0, 8)}`;
    const auth = await asUser(user);
    await call(`${gw.url}/api/v1/baskets/add`, 'POST', { user_id: user, product_id: 'notebook', quantity: 1 }, auth);
    const paid = await call(
      `${gw.url}/api/v1/payments`,
      'POST',
      { user_id: user, card: { number: '4242424242424242', holder: 'T Race', expiry: '12/30', cvv: '123' } },
      { ...headers, ...auth },
    );
    expect(paid.status).toBe(201);

    const wanted = [services.gateway, services.payment, ...services.handlers];
    let spans: ZipkinSpan[] = [];
    await eventually(async () => {
      spans = await spansOf(zipkin, traceId);
      const seen = new Set(spans.map((s) => s.localEndpoint?.serviceName));
      return (
        wanted.every((s) => seen.has(s)) &&
        spans.filter((s) => s.kind === 'CONSUMER').length >= services.handlers.length
      );
    }, 30_000);
    expect(JSON.stringify(spans), 'no card number in any span').not.toContain('4242424242424242');
    const ids = new Set(spans.map((s) => s.id));
    for (const s of spans)
      expect(
        s.parentId === clientSpan || ids.has(s.parentId!),
        `${s.localEndpoint?.serviceName} ${s.name} has its parent in the trace`,
      ).toBe(true);
    const byId = new Map(spans.map((s) => [s.id, s]));
    const ancestry = (s: ZipkinSpan): string[] =>
      s.parentId && byId.has(s.parentId)
        ? [
            `${byId.get(s.parentId)!.localEndpoint?.serviceName}:${byId.get(s.parentId)!.name}`,
            ...ancestry(byId.get(s.parentId)!),
          ]
        : [];
    const root = spans.find((s) => s.parentId === clientSpan)!;
    expect(root).toMatchObject({
      kind: 'SERVER',
      name: 'post /api/v1/payments',
      localEndpoint: { serviceName: services.gateway },
    });
    for (const handler of services.handlers) {
      const consumer = spans.find((s) => s.kind === 'CONSUMER' && s.localEndpoint?.serviceName === handler)!;
      expect(consumer, `${handler} consumed in the trace`).toBeDefined();
      expect(ancestry(consumer)).toContain(`${services.payment}:process-payment`);
      expect(ancestry(consumer).at(-1)).toBe(`${services.gateway}:post /api/v1/payments`);
    }
  });
}
