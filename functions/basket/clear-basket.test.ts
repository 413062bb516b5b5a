import { describe, expect, it } from 'vitest';
import { BasketService } from '../../gen/shop/basket/v1/basket_pb.ts';
import { testApp } from '../../test/support/function-app.ts';

describe('clear-basket', () => {
  it('empties the basket and answers 204', async () => {
    const a = testApp(['clear-basket']);
    await a.deps.baskets.add('alice', 'mug', 1);
    const res = await a.request('DELETE', '/api/v1/baskets/alice');
    expect(res.status).toBe(204);
    expect(await a.deps.baskets.get('alice')).toEqual([]);
  });

  it('clears over Connect too', async () => {
    const a = testApp(['clear-basket']);
    await a.deps.baskets.add('bob', 'mug', 1);
    await a.client(BasketService).clearBasket({ userId: 'bob' });
    expect(await a.deps.baskets.get('bob')).toEqual([]);
  });
});
