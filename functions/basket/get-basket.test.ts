import { describe, expect, it } from 'vitest';
import { BasketService } from '../../gen/shop/basket/v1/basket_pb.ts';
import { aProduct, testDeps } from '../../test/support/function-deps.ts';
import { testApp } from '../../test/support/function-app.ts';

describe('get-basket', () => {
  it('answers an empty basket for a user without one', async () => {
    const res = await testApp(['get-basket']).request('GET', '/api/v1/baskets/alice');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user_id: 'alice', items: [], total: { amount_minor: 0, currency: 'USD' } });
  });

  it('prices lines at current prices and leaves out deleted products', async () => {
    const deps = testDeps();
    await deps.products.insert([
      aProduct({ id: 'mug' }),
      aProduct({ id: 'pot', name: 'Pot', price: { amount_minor: 500, currency: 'USD' } }),
    ]);
    await deps.baskets.add('alice', 'mug', 2);
    await deps.baskets.add('alice', 'pot', 1);
    await deps.baskets.add('alice', 'gone', 1);
    const res = await testApp(['get-basket'], deps).request('GET', '/api/v1/baskets/alice');
    expect(res.body.items).toEqual([
      {
        product_id: 'mug',
        name: 'Mug',
        unit_price: { amount_minor: 1250, currency: 'USD' },
        quantity: 2,
        line_total: { amount_minor: 2500, currency: 'USD' },
      },
      {
        product_id: 'pot',
        name: 'Pot',
        unit_price: { amount_minor: 500, currency: 'USD' },
        quantity: 1,
        line_total: { amount_minor: 500, currency: 'USD' },
      },
    ]);
    expect(res.body.total).toEqual({ amount_minor: 3000, currency: 'USD' });
    const rpc = await testApp(['get-basket'], deps).client(BasketService).getBasket({ userId: 'alice' });
    expect(rpc.total?.amountMinor).toBe(3000n);
  });
});
