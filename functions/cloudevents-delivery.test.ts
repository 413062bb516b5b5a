import { CloudEvent, HTTP } from 'cloudevents';
import { describe, expect, it } from 'vitest';
import type { CloudEvent as ShopEvent } from '../platform/define.ts';
import { paymentCompleted, stockRejected } from '../test/support/test-events.ts';
import { card, checkoutApp } from '../test/support/test-checkout.ts';
import { SIDECAR_TOKEN, testApp, testSigner } from '../test/support/function-app.ts';
import { aProduct, testDeps } from '../test/support/function-deps.ts';

type Mode = 'binary' | 'structured';

/**
 * The function's sidecar (or `task invoke`) presents the app token as a header; a KafkaSource as
 * the attribute its ceOverrides add.
 */
const sidecar = { 'dapr-api-token': SIDECAR_TOKEN };
const source = { apptoken: SIDECAR_TOKEN };

/**
 * A delivery from Kafka in each mode: a KafkaSource sends binary mode (the attribute becomes the
 * `ce-apptoken` header); a Dapr binding posts the Kafka value, a structured event, with its Kafka headers.
 */
const fromKafka: Record<Mode, { attributes: object; headers: Record<string, string> }> = {
  binary: { attributes: source, headers: {} },
  structured: {
    attributes: {},
    headers: { ...sidecar, __topic: 'payment-completed', __partition: '0', __offset: '7', __key: 'pay-e1' },
  },
};

/** Sends a CloudEvent to an app's route with the CloudEvents SDK, in binary or structured mode. */
async function send(
  a: ReturnType<typeof testApp>,
  path: string,
  mode: Mode,
  event: object,
  headers: Record<string, string> = {},
) {
  const ce = new CloudEvent(event as never, false);
  const message = mode === 'binary' ? HTTP.binary(ce) : HTTP.structured(ce);
  const res = await a.app.request(path, {
    method: 'POST',
    headers: { ...(message.headers as Record<string, string>), ...headers },
    body: message.body as string,
  });
  return { status: res.status, body: await res.json() };
}

/**
 * How a KafkaSource delivers a record Dapr's pub/sub wrote (its value, our structured event, with
 * no CloudEvent headers in Kafka).
 */
const wrappedRecord = (event: ShopEvent, offset: number) => ({
  specversion: '1.0',
  type: 'dev.knative.kafka.event',
  id: `partition:0/offset:${offset}`,
  subject: `partition:0#${offset}`,
  source: '/apis/v1/namespaces/daprps-dev/kafkasources/product-on-payment-completed#payment-completed',
  time: '2026-01-15T10:00:00.5Z',
  key: event.subject,
  ...source,
  data: JSON.stringify(event),
});

async function stockApp() {
  const deps = testDeps();
  await deps.products.insert([aProduct({ id: 'mug', stock: 5 })]);
  return testApp(['product/on-payment-completed'], deps);
}
const mugs = async (a: ReturnType<typeof testApp>) => (await a.deps.products.get('mug'))?.stock;

describe.each<Mode>(['binary', 'structured'])(
  'event routes take CloudEvents over HTTP in %s mode (cloudevents SDK as the sender)',
  (mode) => {
    it('applies a signed event once, however often and from whichever sender it comes', async () => {
      const a = await stockApp();
      const event = testSigner.sign(paymentCompleted('e1', 'alice', [{ product_id: 'mug', quantity: 2 }]));
      const kafka = fromKafka[mode];
      expect(await send(a, '/product-payment-completed', mode, event, sidecar)).toEqual({
        status: 200,
        body: { status: 'SUCCESS' },
      });
      for (let i = 0; i < 2; i++)
        expect(
          await send(a, '/product-payment-completed', mode, { ...event, ...kafka.attributes }, kafka.headers),
        ).toEqual({ status: 200, body: { status: 'SUCCESS' } });
      expect(await mugs(a)).toBe(3);
      expect(a.deadLetters).toEqual([]);
    });

    it('never applies an unsigned event: 400 to a caller, dead-lettered with 200 when it comes from Kafka', async () => {
      const a = await stockApp();
      const unsigned = paymentCompleted('e2', 'alice', [{ product_id: 'mug', quantity: 1 }]);
      expect((await send(a, '/product-payment-completed', mode, unsigned, sidecar)).status).toBe(400);
      const forged = { ...testSigner.sign(unsigned), data: { ...(unsigned.data as object), items: [] } };
      for (const event of [unsigned, forged]) {
        const kafka = fromKafka[mode];
        expect(
          await send(a, '/product-payment-completed', mode, { ...event, ...kafka.attributes }, kafka.headers),
        ).toMatchObject({ status: 200, body: { status: 'DROP', error: { code: 'dead_lettered' } } });
      }
      expect(await mugs(a)).toBe(5);
      expect(a.deadLetters.map((d) => d.reason)).toEqual([
        expect.stringMatching(/does not carry a valid signature/),
        expect.stringMatching(/does not carry a valid signature/),
      ]);
      expect(JSON.stringify(a.deadLetters)).not.toContain(SIDECAR_TOKEN);
    });

    it('dead-letters with 200 what comes from Kafka that can never be applied, and refuses it with 400 from another caller', async () => {
      const a = await stockApp();
      const bad = testSigner.sign({ ...paymentCompleted('e3', 'carol', []), data: { payment_id: 'x', items: 'lots' } });
      expect((await send(a, '/product-payment-completed', mode, bad, sidecar)).status).toBe(400);
      const kafka = fromKafka[mode];
      expect(
        await send(a, '/product-payment-completed', mode, { ...bad, ...kafka.attributes }, kafka.headers),
      ).toMatchObject({ status: 200, body: { status: 'DROP' } });
      expect(a.deadLetters).toMatchObject([
        {
          handler: 'product/on-payment-completed',
          event_id: 'e3',
          reason: expect.stringMatching(/is not a valid payment-completed event/),
        },
      ]);
      expect(await mugs(a)).toBe(5);
    });

    it('refuses a delivery without the app token, or with another, with 401, changing nothing', async () => {
      const a = await stockApp();
      const event = testSigner.sign(paymentCompleted('e4', 'alice', [{ product_id: 'mug', quantity: 1 }]));
      expect((await send(a, '/product-payment-completed', mode, event)).status).toBe(401);
      expect(
        (await send(a, '/product-payment-completed', mode, event, { 'dapr-api-token': 'another-token-0123456789' }))
          .status,
      ).toBe(401);
      expect(
        (await send(a, '/product-payment-completed', mode, { ...event, apptoken: 'another-token-0123456789' })).status,
      ).toBe(401);
      expect(await mugs(a)).toBe(5);
    });
  },
);

describe('event routes fed by a KafkaSource', () => {
  it('apply a record Dapr wrote, which the source wraps (its value is the event), once', async () => {
    const a = await stockApp();
    const event = testSigner.sign(paymentCompleted('e5', 'alice', [{ product_id: 'mug', quantity: 1 }]));
    for (const offset of [7, 7, 8])
      expect((await send(a, '/product-payment-completed', 'binary', wrappedRecord(event, offset))).body).toEqual({
        status: 'SUCCESS',
      });
    expect(await mugs(a)).toBe(4);
  });

  it('reach every event handler: the basket is cleared and the payment refunded', async () => {
    const basket = testApp(['basket/on-payment-completed']);
    await basket.deps.baskets.add('alice', 'mug', 2);
    const paid = testSigner.sign(paymentCompleted('e6', 'alice', [{ product_id: 'mug', quantity: 2 }]));
    expect((await send(basket, '/basket-payment-completed', 'binary', { ...paid, ...source })).body).toEqual({
      status: 'SUCCESS',
    });
    expect(await basket.deps.baskets.get('alice')).toEqual([]);

    const shop = await checkoutApp();
    const { body } = await shop.request('POST', '/api/v1/payments', { user_id: 'alice', card: card() });
    const payments = testApp(['get-payment', 'payment/on-stock-rejected'], shop.deps);
    const rejected = testSigner.sign(stockRejected('s1', body.id));
    expect((await send(payments, '/payment-stock-rejected', 'binary', { ...rejected, ...source })).body).toEqual({
      status: 'SUCCESS',
    });
    expect((await payments.request('GET', `/api/v1/payments/${body.id}`)).body.status).toBe('refunded');
  });
});
