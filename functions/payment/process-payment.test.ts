import { Code } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { PaymentService } from '../../gen/shop/payment/v1/payment_pb.ts';
import { MAX_AMOUNT_MINOR } from '../../platform/validation.ts';
import { aProduct } from '../../test/support/function-deps.ts';
import { TEST_CARDS } from './provider.ts';
import { card, checkoutApp } from '../../test/support/test-checkout.ts';

describe('process-payment', () => {
  it('charges the basket at current prices, answers 201 and queues payment-completed', async () => {
    const a = await checkoutApp();
    const res = await a.request('POST', '/api/v1/payments', { user_id: 'alice', card: card() });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      user_id: 'alice',
      status: 'completed',
      amount: { amount_minor: 2500, currency: 'USD' },
      card: { brand: 'visa', last4: '4242' },
      refunded: { amount_minor: 0, currency: 'USD' },
      items: [{ product_id: 'mug', quantity: 2 }],
    });
    const [event] = await a.deps.payments.pending(10);
    expect(event).toMatchObject({
      topic: 'payment-completed',
      key: res.body.id,
      event: { type: 'shop.events.v1.PaymentCompleted', data: { paymentId: res.body.id, userId: 'alice' } },
    });
  });

  it('answers 402 with a failed payment for a declined card, and publishes nothing', async () => {
    const a = await checkoutApp();
    const res = await a.request('POST', '/api/v1/payments', { user_id: 'alice', card: card(TEST_CARDS.declined) });
    expect(res.status).toBe(402);
    expect(res.body).toMatchObject({ status: 'failed', failure_reason: 'card_declined' });
    expect(await a.deps.payments.pending(10)).toEqual([]);
  });

  it('answers 409 for an empty basket and for a basket beyond the stock', async () => {
    const a = await checkoutApp();
    const empty = await a.request('POST', '/api/v1/payments', { user_id: 'bob', card: card() });
    expect([empty.status, empty.body.error.code]).toEqual([409, 'basket_empty']);
    await a.deps.products.adjustStock('mug', -4, '2026-01-15T10:00:00.000Z');
    const short = await a.request('POST', '/api/v1/payments', { user_id: 'alice', card: card() });
    expect([short.status, short.body.error.code]).toEqual([409, 'insufficient_stock']);
  });

  it('refuses a 2e11 order with 422 before anything is charged or recorded', async () => {
    const a = await checkoutApp();
    const price = { amount_minor: MAX_AMOUNT_MINOR, currency: 'USD' };
    await a.deps.products.insert([aProduct({ id: 'gold', stock: 100, price })]);
    await a.deps.baskets.add('bob', 'gold', 20);
    const res = await a.request('POST', '/api/v1/payments', { user_id: 'bob', card: card() });
    expect([res.status, res.body.error.code]).toEqual([422, 'amount_too_large']);
    expect(res.body.error.message).toContain('200000000000');
    expect(await a.deps.provider.ledger()).toEqual([]);
    expect((await a.deps.payments.records()).payments).toEqual([]);
  });

  it('returns the same payment for a retry with the same Idempotency-Key, charging once', async () => {
    const a = await checkoutApp();
    const first = await a.request(
      'POST',
      '/api/v1/payments',
      { user_id: 'alice', card: card() },
      { 'idempotency-key': 'k-1' },
    );
    const again = await a.request(
      'POST',
      '/api/v1/payments',
      { user_id: 'alice', card: card() },
      { 'idempotency-key': 'k-1' },
    );
    expect(again).toMatchObject({ status: 201, body: first.body });
    expect(await a.deps.payments.pending(10)).toHaveLength(1);
  });

  it('refuses a different request reusing an Idempotency-Key with 422', async () => {
    const a = await checkoutApp();
    await a.request('POST', '/api/v1/payments', { user_id: 'alice', card: card() }, { 'idempotency-key': 'k-2' });
    const other = await a.request(
      'POST',
      '/api/v1/payments',
      { user_id: 'alice', card: { ...card(), holder: 'Mallory' } },
      { 'idempotency-key': 'k-2' },
    );
    expect([other.status, other.body.error.code]).toEqual([422, 'idempotency_key_reused']);
  });

  it('checks the card: Luhn, expiry format, expiry date, CVV — and never echoes the number', async () => {
    const a = await checkoutApp();
    const cases: [object, string][] = [
      [{ ...card(), number: '4242424242424241' }, 'card.number'],
      [{ ...card(), expiry: '13/30' }, 'card.expiry'],
      [{ ...card(), expiry: '12/20' }, 'card.expiry'],
      [{ ...card(), cvv: '12' }, 'card.cvv'],
      [{ ...card(), holder: ' ' }, 'card.holder'],
    ];
    for (const [c, field] of cases) {
      const res = await a.request('POST', '/api/v1/payments', { user_id: 'alice', card: c });
      expect(res.status, field).toBe(400);
      expect(res.body.error.field).toBe(field);
      expect(JSON.stringify(res.body)).not.toContain('424242424242');
    }
    expect(await a.deps.payments.pending(10)).toEqual([]);
  });

  it('pays over Connect, with FAILED_PRECONDITION for an empty basket', async () => {
    const a = await checkoutApp();
    const client = a.client(PaymentService);
    const p = await client.processPayment({ userId: 'alice', card: card(), idempotencyKey: 'rpc-1' });
    expect(p.status).toBe('completed');
    const err = await client.processPayment({ userId: 'nobody', card: card() }).catch((e) => e);
    expect(err.code).toBe(Code.FailedPrecondition);
  });
});
