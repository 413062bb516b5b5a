import { describe, expect, it } from 'vitest';
import { card, checkoutApp } from '../../test/support/test-checkout.ts';

describe('get-payment', () => {
  it('returns a payment, 404 when unknown', async () => {
    const a = await checkoutApp();
    const paid = await a.request('POST', '/api/v1/payments', { user_id: 'alice', card: card() });
    const res = await a.request('GET', `/api/v1/payments/${paid.body.id}`);
    expect(res).toMatchObject({ status: 200, body: paid.body });
    expect((await a.request('GET', '/api/v1/payments/unknown')).status).toBe(404);
  });
});
