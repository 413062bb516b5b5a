import { describe, expect, it } from 'vitest';
import type { Payment } from './payment.ts';
import type { RefundRecord } from './store.ts';
import { stockRejected } from '../../test/support/test-events.ts';
import { testApp } from '../../test/support/function-app.ts';
import { card, checkoutApp } from '../../test/support/test-checkout.ts';

/** A completed payment of alice's basket, and an app serving the saga's refund handler too. */
async function paid() {
  const shop = await checkoutApp();
  const { body } = await shop.request('POST', '/api/v1/payments', { user_id: 'alice', card: card() });
  return { a: testApp(['get-payment', 'payment/on-stock-rejected'], shop.deps), id: body.id as string };
}

/** A payment-refunded event for a refund made by hand. */
const manualEvent = (p: Payment, r: RefundRecord) => ({
  topic: 'payment-refunded',
  key: p.id,
  event: { id: `ev-${r.id}` } as never,
});

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
    const refund = { id: 'm1', paymentId: id, amountMinor: 1000, reason: 'manual', now: a.deps.now() };
    const reserved = (await a.deps.payments.reserveRefund(refund))!;
    await a.deps.provider.refund({ key: reserved.id, charge: id, amount: reserved.amount });
    await a.deps.payments.settleRefund('m1', { refunded: true }, (p, r) => manualEvent(p, r), a.deps.now());
    await a.deliver('/payment-stock-rejected', stockRejected('s1', id));
    expect((await a.request('GET', `/api/v1/payments/${id}`)).body).toMatchObject({
      status: 'refunded',
      refunded: { amount_minor: 2500 },
    });
    await a.deliver('/payment-stock-rejected', stockRejected('s2', id));
    expect((await refundedEvents(a)).map((e) => e.event.id)).toHaveLength(2);
    const ledger = await a.deps.provider.ledger();
    expect(ledger.filter((e) => e.kind === 'refund').map((e) => e.amount.amount_minor)).toEqual([1000, 1500]);
  });

  it('refunds in full even when a refund pending meanwhile is refused: the event waits for it, then takes the rest', async () => {
    const { a, id } = await paid();
    await a.deps.payments.reserveRefund({
      id: 'm1',
      paymentId: id,
      amountMinor: 1000,
      reason: 'manual',
      now: a.deps.now(),
    });
    const waiting = await a.deliver('/payment-stock-rejected', stockRejected('s1', id));
    expect(waiting.status).toBe(503);
    expect((await a.request('GET', `/api/v1/payments/${id}`)).body.refunded.amount_minor).toBe(1500);
    // The merchant's refund is refused by the provider: what it held is released.
    await a.deps.payments.settleRefund('m1', { refunded: false, reason: 'disputed' }, manualEvent, a.deps.now());
    expect((await a.deliver('/payment-stock-rejected', stockRejected('s1', id))).status).toBe(200);
    expect((await a.request('GET', `/api/v1/payments/${id}`)).body).toMatchObject({
      status: 'refunded',
      refunded: { amount_minor: 2500 },
    });
    expect((await a.deliver('/payment-stock-rejected', stockRejected('s1', id))).status).toBe(200);
    const ledger = (await a.deps.provider.ledger()).filter((e) => e.kind === 'refund');
    expect(ledger.map((e) => e.amount.amount_minor)).toEqual([1500, 1000]);
  });

  it('asks the provider again under the same refund id when it did not answer, and refunds once', async () => {
    const { a, id } = await paid();
    const provider = a.deps.provider;
    let down = true;
    a.deps.provider = {
      ...provider,
      refund: (req) => (down ? Promise.reject(new Error('provider down')) : provider.refund(req)),
    };
    const failed = await a.deliver('/payment-stock-rejected', stockRejected('s1', id));
    expect(failed.status).not.toBe(200);
    expect((await a.request('GET', `/api/v1/payments/${id}`)).body.status).toBe('completed');
    down = false;
    expect((await a.deliver('/payment-stock-rejected', stockRejected('s1', id))).status).toBe(200);
    expect((await a.request('GET', `/api/v1/payments/${id}`)).body.status).toBe('refunded');
    expect((await provider.ledger()).filter((e) => e.kind === 'refund')).toHaveLength(1);
  });

  it('answers 400 to an event that is not a stock-rejected and refunds nothing', async () => {
    const { a, id } = await paid();
    const bad = { ...stockRejected('s1', id), data: { paymentId: id, requested: 'all' } };
    expect((await a.deliver('/payment-stock-rejected', bad)).status).toBe(400);
    expect((await a.request('GET', `/api/v1/payments/${id}`)).body.status).toBe('completed');
  });
});
