import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOutboxRelay, type Relay } from '../platform/events/outbox-relay.ts';
import { asUser, call, eventually, GATEWAY_ADMIN, startEmbedded } from '../test/support/running-shop.ts';
import { testLog } from '../test/support/test-log.ts';

/** The value of a Prometheus series in a scrape, or undefined when it is not there. */
function series(scrape: string, name: string): number | undefined {
  const line = scrape.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

/** What Prometheus presents (the PodMonitor, from the Secret daprps-metrics-token). */
const METRICS_TOKEN = 'metrics-token-0123456789';

describe('observability of the embedded shop: /metrics and health', () => {
  // Without its relay until the test starts one: both payments are then taken while the stock
  // (1) is not yet lowered, so exactly one order is paid that stock cannot serve (the saga's path).
  let shop: Awaited<ReturnType<typeof startEmbedded>>;
  let relay: Relay | undefined;
  beforeAll(async () => {
    shop = await startEmbedded({ METRICS_TOKEN }, { relay: false });
  });
  afterAll(async () => {
    await relay?.stop();
    await shop?.stop();
  });
  const api = (path: string) => `${shop.url}/api/v1${path}`;
  const card = { number: '4242424242424242', holder: 'Obs Erver', expiry: '12/30', cvv: '123' };

  it('exposes request, event, outbox, payment and stock-rejection series after a checkout and a rejected order', async () => {
    const created = await call(
      api('/products'),
      'POST',
      { name: 'Observed', category: 'test', price: { amount_minor: 500, currency: 'USD' }, stock: 1 },
      { authorization: `Bearer ${GATEWAY_ADMIN}` },
    );
    const id = created.body.id;
    const users = ['obs-1', 'obs-2'];
    for (const user of users)
      await call(api('/baskets/add'), 'POST', { user_id: user, product_id: id, quantity: 1 }, await asUser(user));
    for (const user of users)
      expect((await call(api('/payments'), 'POST', { user_id: user, card }, await asUser(user))).status).toBe(201);

    expect(await call(`${shop.url}/metrics`)).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthenticated' } },
    });
    const scrape = async () =>
      (await fetch(`${shop.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    // One payment-completed each, none published yet.
    expect(series(await scrape(), 'outbox_backlog_events')).toBe(users.length);

    relay = startOutboxRelay(shop.runtime.deps.payments, shop.runtime.bus, testLog);
    let productReads = 0; // the GETs of /products/:id answered 200
    await eventually(async () => {
      const product = await call(api(`/products/${id}`));
      if (product.status === 200) productReads++;
      return product.body.stock === 0;
    });
    await call(api('/products/kettle'));
    await call(api('/products/no-such-thing'));
    // The second order is refunded by the saga; its refund's event goes out too.
    await eventually(async () => {
      const text = await scrape();
      return (
        series(text, 'shop_payments_total{status="refunded"}') === 1 &&
        series(text, 'events_handled_total{handler="basket/on-payment-completed",outcome="applied"}') ===
          users.length &&
        series(text, 'outbox_backlog_events') === 0
      );
    });
    const text = await scrape();
    expect(series(text, 'http_requests_total{route="/api/v1/products/:id",method="GET",status="200"}')).toBe(
      productReads + 1,
    );
    expect(series(text, 'http_requests_total{route="/api/v1/products/:id",method="GET",status="404"}')).toBe(1);
    expect(series(text, 'http_requests_total{route="/api/v1/payments",method="POST",status="201"}')).toBe(users.length);
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="0.005",route="/api/v1/payments",method="POST",status="201"}',
    );
    expect(series(text, 'events_handled_total{handler="product/on-payment-completed",outcome="applied"}')).toBe(
      users.length,
    );
    expect(series(text, 'event_consume_lag_seconds_count{handler="product/on-payment-completed"}')).toBe(users.length);
    expect(series(text, 'shop_payments_total{status="completed"}')).toBe(users.length);
    expect(series(text, 'shop_stock_rejections_total')).toBe(1);
    expect(series(text, 'outbox_backlog_events')).toBe(0);
    // The path of an unknown route is not a label: ids must not explode the series.
    await call(`${shop.url}/no/such/route/123`);
    expect(await scrape()).toContain('http_requests_total{route="unmatched",method="GET",status="404"} 1');
  });

  it('answers liveness and readiness, readiness with the checks of everything the embedded shop uses', async () => {
    expect((await call(`${shop.url}/health/live`)).body).toEqual({
      status: 'ok',
      service: 'gateway',
      mode: 'embedded',
    });
    expect((await call(`${shop.url}/health/ready`)).body).toMatchObject({
      status: 'ok',
      checks: { database: { ok: true }, redis: { ok: true }, events: { ok: true } },
    });
  });
});
