import { describe, expect, it } from 'vitest';
import { asUser, call, eventually, GATEWAY_ADMIN, useEmbeddedGateway } from '../test/support/running-shop.ts';

/** The value of a Prometheus series in a scrape, or undefined when it is not there. */
function series(scrape: string, name: string): number | undefined {
  const line = scrape.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

/** What Prometheus presents (the PodMonitor, from the Secret daprps-metrics-token). */
const METRICS_TOKEN = 'metrics-token-0123456789';

describe('observability of the embedded shop: /metrics and health', () => {
  const gw = useEmbeddedGateway({ METRICS_TOKEN });
  const api = (path: string) => `${gw.url}/api/v1${path}`;
  const card = { number: '4242424242424242', holder: 'Obs Erver', expiry: '12/30', cvv: '123' };

  it('exposes request, event, outbox, payment and stock-rejection series after a checkout and a rejected order', async () => {
    const created = await call(
      api('/products'),
      'POST',
      { name: 'Observed', category: 'test', price: { amount_minor: 500, currency: 'USD' }, stock: 1 },
      { authorization: `Bearer ${GATEWAY_ADMIN}` },
    );
    const id = created.body.id;
    for (const user of ['obs-1', 'obs-2'])
      await call(api('/baskets/add'), 'POST', { user_id: user, product_id: id, quantity: 1 }, await asUser(user));
    const paid = await Promise.all(
      ['obs-1', 'obs-2'].map(async (user) =>
        call(api('/payments'), 'POST', { user_id: user, card }, await asUser(user)),
      ),
    );
    await eventually(async () => (await call(api(`/products/${id}`))).body.stock === 0);
    const accepted = paid.filter((p) => p.status === 201).length;
    await call(api('/products/kettle'));
    await call(api('/products/no-such-thing'));

    expect(await call(`${gw.url}/metrics`)).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthenticated' } },
    });
    const scrape = async () =>
      (await fetch(`${gw.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    await eventually(
      async () =>
        (series(await scrape(), 'events_handled_total{handler="basket/on-payment-completed",outcome="applied"}') ??
          0) >= accepted,
    );
    const text = await scrape();
    expect(
      series(text, 'http_requests_total{route="/api/v1/products/:id",method="GET",status="200"}'),
    ).toBeGreaterThanOrEqual(2);
    expect(series(text, 'http_requests_total{route="/api/v1/products/:id",method="GET",status="404"}')).toBe(1);
    expect(series(text, 'http_requests_total{route="/api/v1/payments",method="POST",status="201"}')).toBe(accepted);
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="0.005",route="/api/v1/payments",method="POST",status="201"}',
    );
    expect(series(text, 'events_handled_total{handler="product/on-payment-completed",outcome="applied"}')).toBe(
      accepted,
    );
    expect(series(text, 'event_consume_lag_seconds_count{handler="product/on-payment-completed"}')).toBe(accepted);
    expect(series(text, 'shop_payments_total{status="completed"}')).toBe(accepted);
    expect(series(text, 'outbox_backlog_events')).toBeGreaterThanOrEqual(0);
    if (accepted === 2) {
      await eventually(async () => (series(await scrape(), 'shop_payments_total{status="refunded"}') ?? 0) === 1);
      expect(series(await scrape(), 'shop_stock_rejections_total')).toBe(1);
    }
    // The path of an unknown route is not a label: ids must not explode the series.
    await call(`${gw.url}/no/such/route/123`);
    expect(await scrape()).toContain('http_requests_total{route="unmatched",method="GET",status="404"} 1');
  });

  it('answers liveness and readiness, readiness with the checks of everything the embedded shop uses', async () => {
    expect((await call(`${gw.url}/health/live`)).body).toEqual({ status: 'ok', service: 'gateway', mode: 'embedded' });
    expect((await call(`${gw.url}/health/ready`)).body).toMatchObject({
      status: 'ok',
      checks: { database: { ok: true }, redis: { ok: true }, events: { ok: true } },
    });
  });
});
