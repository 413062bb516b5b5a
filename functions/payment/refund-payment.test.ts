import { describe, expect, it } from 'vitest';
import { TEST_CARDS } from './provider.ts';
import { asAdmin } from '../../test/support/function-app.ts';
import { card, checkoutApp } from '../../test/support/test-checkout.ts';

async function paid() {
  const a = await checkoutApp();
  const res = await a.request('POST', '/api/v1/payments', { user_id: 'alice', card: card() });
  const refund = (body?: object, headers: Record<string, string> = {}) =>
    a.request('POST', `/api/v1/payments/${res.body.id}/refund`, body, { ...asAdmin, ...headers });
  return { a, id: res.body.id as string, refund };
}

const refundsAtProvider = async (a: Awaited<ReturnType<typeof paid>>['a']) =>
  (await a.deps.provider.ledger()).filter((e) => e.kind === 'refund');

describe('refund-payment', () => {
  it('refunds part, then the rest, each its own refund at the provider, queuing a payment-refunded event each time', async () => {
    const { a, refund } = await paid();
    const part = await refund({ amount_minor: 1000, reason: 'damaged' });
    expect(part).toMatchObject({
      status: 200,
      body: { status: 'partially_refunded', refunded: { amount_minor: 1000 }, refund_reason: 'damaged' },
    });
    const rest = await refund();
    expect(rest.body).toMatchObject({ status: 'refunded', refunded: { amount_minor: 2500 } });
    const events = (await a.deps.payments.pending(10)).filter((e) => e.topic === 'payment-refunded');
    const data = events.map((e) => e.event.data as { amount: { amountMinor: string }; refundId: string });
    expect(data.map((d) => d.amount.amountMinor)).toEqual(['1000', '1500']);
    const ledger = await refundsAtProvider(a);
    expect(ledger.map((e) => [e.key, e.amount.amount_minor])).toEqual(
      data.map((d) => [d.refundId, Number(d.amount.amountMinor)]),
    );
    expect(new Set(ledger.map((e) => e.key)).size).toBe(2);
  });

  it('answers a retry with the same Idempotency-Key with the same refund, refunding once; another refund with the key is a 422', async () => {
    const { a, refund } = await paid();
    const key = { 'idempotency-key': 'refund-1' };
    const first = await refund({ amount_minor: 1000 }, key);
    const again = await refund({ amount_minor: 1000 }, key);
    expect(again).toMatchObject({ status: 200, body: { refunded: { amount_minor: 1000 } } });
    expect(first.body.refunded).toEqual(again.body.refunded);
    expect((await refund({ amount_minor: 900 }, key)).body.error.code).toBe('idempotency_key_reused');
    expect((await refundsAtProvider(a)).map((e) => e.amount.amount_minor)).toEqual([1000]);
  });

  it('leaves a refund the provider did not answer reserved (503), and the retry with its key pays it once', async () => {
    const { a, id, refund } = await paid();
    const provider = a.deps.provider;
    let down = true;
    a.deps.provider = {
      ...provider,
      refund: async (req) => {
        const answer = await provider.refund(req);
        if (down) throw new Error('connection reset after the provider refunded');
        return answer;
      },
    };
    const key = { 'idempotency-key': 'refund-2' };
    const cut = await refund(undefined, key);
    expect([cut.status, cut.body.error.code]).toEqual([503, 'unavailable']);
    expect((await a.request('GET', `/api/v1/payments/${id}`)).body.refunded.amount_minor).toBe(0);
    // Reserved: no other refund can take what it holds meanwhile.
    expect((await refund({ amount_minor: 1 })).body.error.code).toBe('refund_not_allowed');
    down = false;
    expect((await refund(undefined, key)).body).toMatchObject({ status: 'refunded', refunded: { amount_minor: 2500 } });
    expect((await refundsAtProvider(a)).map((e) => e.amount.amount_minor)).toEqual([2500]);
  });

  it('releases a refund the provider refuses (409), so what it held can be refunded', async () => {
    const { a, id, refund } = await paid();
    const provider = a.deps.provider;
    a.deps.provider = { ...provider, refund: async () => ({ refunded: false, reason: 'charge disputed' }) };
    const refused = await refund();
    expect([refused.status, refused.body.error.message]).toEqual([
      409,
      'the payment provider refused the refund: charge disputed',
    ]);
    a.deps.provider = provider;
    expect((await refund()).body).toMatchObject({ status: 'refunded', refunded: { amount_minor: 2500 } });
    expect((await a.request('GET', `/api/v1/payments/${id}`)).body.refunded.amount_minor).toBe(2500);
  });

  it('refuses a refund above what is left, of a refunded or failed payment, with 409 and no change', async () => {
    const { a, id, refund } = await paid();
    expect((await refund({ amount_minor: 2501 })).status).toBe(409);
    await refund();
    expect((await refund({ amount_minor: 1 })).status).toBe(409);
    const failed = await a.request('POST', '/api/v1/payments', { user_id: 'alice', card: card(TEST_CARDS.declined) });
    const again = await a.request('POST', `/api/v1/payments/${failed.body.id}/refund`, undefined, asAdmin);
    expect(again.body.error.code).toBe('refund_not_allowed');
    expect((await a.request('GET', `/api/v1/payments/${id}`)).body.refunded.amount_minor).toBe(2500);
    expect((await refundsAtProvider(a)).map((e) => e.amount.amount_minor)).toEqual([2500]);
  });

  it('refuses an amount of zero or less, and answers 404 for an unknown payment', async () => {
    const { a, refund } = await paid();
    expect((await refund({ amount_minor: 0 })).body.error.field).toBe('amount_minor');
    expect((await refund({ amount_minor: -5 })).status).toBe(400);
    expect((await a.request('POST', '/api/v1/payments/nope/refund', {}, asAdmin)).status).toBe(404);
  });
});
