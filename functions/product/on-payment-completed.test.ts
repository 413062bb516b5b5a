import { describe, expect, it } from 'vitest';
import { paymentCompleted } from '../../test/support/test-events.ts';
import { aProduct, testDeps } from '../../test/support/function-deps.ts';
import { testApp } from '../../test/support/function-app.ts';

async function app() {
  const deps = testDeps();
  await deps.products.insert([aProduct({ id: 'mug', stock: 5 }), aProduct({ id: 'pot', stock: 1 })]);
  return testApp(['product/on-payment-completed'], deps);
}

describe('product/on-payment-completed', () => {
  it('takes each item from stock, once per event id', async () => {
    const a = await app();
    const event = paymentCompleted('e1', 'alice', [
      { product_id: 'mug', quantity: 2 },
      { product_id: 'pot', quantity: 1 },
    ]);
    for (let i = 0; i < 3; i++) expect((await a.deliver('/product-payment-completed', event)).status).toBe(200);
    expect((await a.deps.products.get('mug'))?.stock).toBe(3);
    expect((await a.deps.products.get('pot'))?.stock).toBe(0);
  });

  it('takes nothing when one item lacks stock, and publishes stock-rejected once', async () => {
    const a = await app();
    const event = paymentCompleted('e2', 'bob', [
      { product_id: 'mug', quantity: 1 },
      { product_id: 'pot', quantity: 2 },
    ]);
    for (let i = 0; i < 2; i++) expect((await a.deliver('/product-payment-completed', event)).status).toBe(200);
    expect((await a.deps.products.get('mug'))?.stock).toBe(5);
    expect((await a.deps.products.get('pot'))?.stock).toBe(1);
    const rejected = await a.deps.payments.pending(10);
    expect(rejected.map((e) => [e.topic, e.key])).toEqual([['stock-rejected', 'pay-e2']]);
    expect(rejected[0]!.event.data).toMatchObject({
      paymentId: 'pay-e2',
      userId: 'bob',
      productId: 'pot',
      requested: 2,
      available: 1,
    });
  });

  it('answers 400 to an event that is not a payment-completed, changing nothing', async () => {
    const a = await app();
    const bad = {
      ...paymentCompleted('e3', 'carol', [{ product_id: 'mug', quantity: 1 }]),
      data: { payment_id: 'x', items: 'lots' },
    };
    expect((await a.deliver('/product-payment-completed', bad)).status).toBe(400);
    expect((await a.deliver('/product-payment-completed', '{not json')).status).toBe(400);
    expect((await a.deps.products.get('mug'))?.stock).toBe(5);
  });

  it('answers the OPTIONS probe of the Dapr binding', async () => {
    expect((await (await app()).request('OPTIONS', '/product-payment-completed')).status).toBe(200);
  });
});
