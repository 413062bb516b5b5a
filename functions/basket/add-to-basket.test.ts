import { describe, expect, it } from 'vitest';
import { BasketService } from '../../gen/shop/basket/v1/basket_pb.ts';
import type { Failpoint } from '../../platform/failpoints.ts';
import { aProduct, testDeps } from '../../test/support/function-deps.ts';
import { testApp } from '../../test/support/function-app.ts';
import { MAX_BASKET_LINES, MAX_LINE_QUANTITY } from './store.ts';

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
    expect(res.body.error).toMatchObject({
      code: 'insufficient_stock',
      message: 'only 3 of product mug in stock, the basket would hold 4',
    });
    expect(await a.deps.baskets.get('alice')).toEqual([{ product_id: 'mug', quantity: 2 }]);
  });

  it('refuses more units of a product, or more products, than a basket holds: 409 conflict', async () => {
    const deps = testDeps();
    await deps.products.insert([aProduct({ id: 'pen', stock: 5000 }), aProduct({ id: 'mug', stock: 5 })]);
    const a = testApp(['add-to-basket'], deps);
    const add = (product_id: string, quantity: number) =>
      a.request('POST', '/api/v1/baskets/add', { user_id: 'alice', product_id, quantity });
    expect((await add('pen', MAX_LINE_QUANTITY)).status).toBe(200);
    expect((await add('pen', 1)).body.error).toMatchObject({
      code: 'conflict',
      message: `a basket holds at most ${MAX_LINE_QUANTITY} units of one product`,
    });
    for (let i = 1; i < MAX_BASKET_LINES; i++) await deps.baskets.add('alice', `other-${i}`, 1);
    expect((await add('mug', 1)).body.error).toMatchObject({
      code: 'conflict',
      message: `a basket holds at most ${MAX_BASKET_LINES} products`,
    });
    expect((await deps.baskets.get('alice')).length).toBe(MAX_BASKET_LINES);
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

  it('answers a retry with the same Idempotency-Key as the first add, adding nothing more; another add with it is a 422', async () => {
    const a = await app();
    const add = (quantity: number, key: string) =>
      a.request(
        'POST',
        '/api/v1/baskets/add',
        { user_id: 'alice', product_id: 'mug', quantity },
        { 'idempotency-key': key },
      );
    const first = await add(2, 'add-1');
    expect(first.status).toBe(200);
    expect(await add(2, 'add-1')).toMatchObject({ status: 200, body: first.body });
    expect(await a.deps.baskets.get('alice')).toEqual([{ product_id: 'mug', quantity: 2 }]);
    const reused = await add(1, 'add-1');
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    expect((await add(1, 'add-2')).body.items).toMatchObject([{ quantity: 3 }]);
  });

  it('takes the key as the idempotency_key field over Connect, and refuses a key that is not visible ASCII', async () => {
    const a = await app();
    const client = a.client(BasketService);
    const add = () => client.addToBasket({ userId: 'alice', productId: 'mug', quantity: 1, idempotencyKey: 'rpc-1' });
    await add();
    expect((await add()).items.map((i) => i.quantity)).toEqual([1]);
    const res = await a.request(
      'POST',
      '/api/v1/baskets/add',
      { user_id: 'alice', product_id: 'mug', quantity: 1 },
      { 'idempotency-key': 'two words' },
    );
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('idempotency_key');
    expect(await a.deps.baskets.get('alice')).toEqual([{ product_id: 'mug', quantity: 1 }]);
  });

  it('reaches its failpoint once the add is applied, and not for a refused add', async () => {
    const crashed: Failpoint[] = [];
    const deps = testDeps({ crash: (at) => void crashed.push(at) });
    await deps.products.insert([aProduct({ id: 'mug', stock: 3 })]);
    const a = testApp(['add-to-basket'], deps);
    await a.request('POST', '/api/v1/baskets/add', { user_id: 'alice', product_id: 'mug', quantity: 2 });
    expect(crashed).toEqual(['add-to-basket.after-add']);
    await a.request('POST', '/api/v1/baskets/add', { user_id: 'alice', product_id: 'mug', quantity: 2 });
    expect(crashed).toEqual(['add-to-basket.after-add']);
  });
});
