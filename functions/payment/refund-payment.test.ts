import { describe, expect, it } from 'vitest';
import { TEST_CARDS } from './provider.ts';
import { card, checkoutApp } from '../../test/support/test-checkout.ts';

async function paid() {
  const a = await checkoutApp();
  const res = await a.request('POST', '/api/v1/payments', { user_id: 'alice', card: card() });
  return { a, id: res.body.id as string };
}

describe('refund-payment', () => {
  it('refunds part, then the rest, queuing a payment-refunded event each time', async () => {
    const { a, id } = await paid();
    const part = await a.request('POST', `/api/v1/payments/${id}/refund`, { amount_minor: 1000, reason: 'damaged' });
    expect(part).toMatchObject({
      status: 200,
      body: { status: 'partially_refunded', refunded: { amount_minor: 1000 } },
    });
    const rest = await a.request('POST', `/api/v1/payments/${id}/refund`);
    expect(rest.body).toMatchObject({ status: 'refunded', refunded: { amount_minor: 2500 } });
    const events = (await a.deps.payments.pending(10)).filter((e) => e.topic === 'payment-refunded');
    expect(events.map((e) => (e.event.data as { amount: { amountMinor: string } }).amount.amountMinor)).toEqual([
      '1000',
      '1500',
    ]);
  });

  it('refuses a refund above what is left, of a refunded or failed payment, with 409 and no change', async () => {
    const { a, id } = await paid();
    expect((await a.request('POST', `/api/v1/payments/${id}/refund`, { amount_minor: 2501 })).status).toBe(409);
    await a.request('POST', `/api/v1/payments/${id}/refund`);
    expect((await a.request('POST', `/api/v1/payments/${id}/refund`, { amount_minor: 1 })).status).toBe(409);
    const failed = await a.request('POST', '/api/v1/payments', { user_id: 'alice', card: card(TEST_CARDS.declined) });
    expect((await a.request('POST', `/api/v1/payments/${failed.body.id}/refund`)).body.error.code).toBe(
      'refund_not_allowed',
    );
    expect((await a.request('GET', `/api/v1/payments/${id}`)).body.refunded.amount_minor).toBe(2500);
  });

  it('refuses an amount of zero or less, and answers 404 for an unknown payment', async () => {
    const { a, id } = await paid();
    expect((await a.request('POST', `/api/v1/payments/${id}/refund`, { amount_minor: 0 })).body.error.field).toBe(
      'amount_minor',
    );
    expect((await a.request('POST', `/api/v1/payments/${id}/refund`, { amount_minor: -5 })).status).toBe(400);
    expect((await a.request('POST', '/api/v1/payments/nope/refund', {})).status).toBe(404);
  });
});
