import { describe, expect, it } from 'vitest';
import { paymentCompleted } from '../../test/support/test-events.ts';
import { testApp } from '../../test/support/function-app.ts';

describe('basket/on-payment-completed', () => {
  it('takes the paid items out once per event, keeping items added since', async () => {
    const a = testApp(['basket/on-payment-completed']);
    await a.deps.baskets.add('alice', 'mug', 3);
    const event = paymentCompleted('e2', 'alice', [{ product_id: 'mug', quantity: 2 }]);
    for (let i = 0; i < 3; i++) expect((await a.deliver('/basket-payment-completed', event)).status).toBe(200);
    expect(await a.deps.baskets.get('alice')).toEqual([{ product_id: 'mug', quantity: 1 }]);
  });

  it("clears the paying user's basket and no other", async () => {
    const a = testApp(['basket/on-payment-completed']);
    await a.deps.baskets.add('alice', 'mug', 2);
    await a.deps.baskets.add('bob', 'mug', 1);
    const res = await a.deliver(
      '/basket-payment-completed',
      paymentCompleted('e1', 'alice', [{ product_id: 'mug', quantity: 2 }]),
    );
    expect(res.status).toBe(200);
    expect(await a.deps.baskets.get('alice')).toEqual([]);
    expect(await a.deps.baskets.get('bob')).toEqual([{ product_id: 'mug', quantity: 1 }]);
  });
});
