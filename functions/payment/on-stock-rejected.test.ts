import { describe, expect, it } from 'vitest';
import { stockRejected } from '../../test/support/test-events.ts';
import { testApp } from '../../test/support/function-app.ts';
import { card, checkoutApp } from '../../test/support/test-checkout.ts';

/** A completed payment of alice's basket, and an app serving the saga's refund handler too. */
async function paid() {
  const shop = await checkoutApp();
  const { body } = await shop.request('POST', '/api/v1/payments', { user_id: 'alice', card: card() });
  return { a: testApp(['get-payment', 'payment/on-stock-rejected'], shop.deps), id: body.id as string };
}

const refundedEvents = async (a: Awaited<ReturnType<typeof paid>>['a']) =>
  (await a.deps.payments.pending(10)).filter((e) => e.topic === 'payment-refunded');

describe('payment/on-stock-rejected', () => {
  it('refunds the whole payment once, however often the event comes, and the payment shows why', async () => {
    const { a, id } = await paid();
    for (let i = 0; i < 3; i++)
      expect((await a.deliver('/payment-stock-rejected', stockRejected('s1', id))).status).toBe(200);
    const payment = (await a.request('GET', `/api/v1/payments/${id}`)).body;
    expect(payment).toMatchObject({ status: 'refunded', refunded: { amount_minor: 2500 } });
    expect(payment.refund_reason).toMatch(/^out_of_stock: product mug had 1, the order needed 2$/);
    const events = await refundedEvents(a);
    expect(events).toHaveLength(1);
    expect(events[0]!.event.data).toMatchObject({
      paymentId: id,
      amount: { amountMinor: '2500' },
      reason: payment.refund_reason,
    });
  });

  it('refunds only what is left after a manual partial refund, and nothing after a full one', async () => {
    const { a, id } = await paid();
    await a.deps.payments.refund({ id, amountMinor: 1000, reason: 'manual', now: a.deps.now() }, () => ({
      topic: 'payment-refunded',
      key: id,
      event: { id: 'm1' } as never,
    }));
    await a.deliver('/payment-stock-rejected', stockRejected('s1', id));
    expect((await a.request('GET', `/api/v1/payments/${id}`)).body).toMatchObject({
      status: 'refunded',
      refunded: { amount_minor: 2500 },
    });
    await a.deliver('/payment-stock-rejected', stockRejected('s2', id));
    expect((await refundedEvents(a)).map((e) => e.event.id)).toHaveLength(2);
  });

  it('answers 400 to an event that is not a stock-rejected and refunds nothing', async () => {
    const { a, id } = await paid();
    const bad = { ...stockRejected('s1', id), data: { paymentId: id, requested: 'all' } };
    expect((await a.deliver('/payment-stock-rejected', bad)).status).toBe(400);
    expect((await a.request('GET', `/api/v1/payments/${id}`)).body.status).toBe('completed');
  });
});
