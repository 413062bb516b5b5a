import { describe, expect, it } from 'vitest';
import { aProduct, testDeps } from '../../test/support/function-deps.ts';
import { testApp } from '../../test/support/function-app.ts';

async function app() {
  const deps = testDeps();
  await deps.products.insert([aProduct({ id: 'mug', stock: 3 })]);
  return testApp(['add-to-basket'], deps);
}

describe('add-to-basket', () => {
  it('adds units and answers the priced basket', async () => {
    const a = await app();
    await a.request('POST', '/api/v1/baskets/add', { user_id: 'alice', product_id: 'mug', quantity: 1 });
    const res = await a.request('POST', '/api/v1/baskets/add', { user_id: 'alice', product_id: 'mug', quantity: 2 });
    expect(res.status).toBe(200);
    expect(res.body.items).toMatchObject([{ product_id: 'mug', quantity: 3 }]);
    expect(res.body.total.amount_minor).toBe(3750);
  });

  it('refuses more units than the stock: 409, basket unchanged', async () => {
    const a = await app();
    await a.request('POST', '/api/v1/baskets/add', { user_id: 'alice', product_id: 'mug', quantity: 2 });
    const res = await a.request('POST', '/api/v1/baskets/add', { user_id: 'alice', product_id: 'mug', quantity: 2 });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('insufficient_stock');
    expect(await a.deps.baskets.get('alice')).toEqual([{ product_id: 'mug', quantity: 2 }]);
  });

  it('answers 404 for an unknown product', async () => {
    const res = await (await app()).request('POST', '/api/v1/baskets/add', {
      user_id: 'alice',
      product_id: 'nope',
      quantity: 1,
    });
    expect(res.status).toBe(404);
  });

  it('refuses a quantity of zero, a negative one and a fraction, naming the field', async () => {
    const a = await app();
    for (const quantity of [0, -1, 1.5, '1e3', null, 1000]) {
      const res = await a.request('POST', '/api/v1/baskets/add', { user_id: 'alice', product_id: 'mug', quantity });
      expect(res.status, String(quantity)).toBe(400);
      expect(res.body.error.field).toBe('quantity');
    }
    expect(await a.deps.baskets.get('alice')).toEqual([]);
  });

  it('accepts a quantity written as a decimal string, as the protobuf JSON mapping does', async () => {
    const res = await (await app()).request('POST', '/api/v1/baskets/add', {
      user_id: 'alice',
      product_id: 'mug',
      quantity: '2',
    });
    expect(res.body.items).toMatchObject([{ quantity: 2 }]);
  });
});
