import { describe, expect, it } from 'vitest';
import { aProduct, testDeps } from '../../test/support/function-deps.ts';
import { testApp } from '../../test/support/function-app.ts';

async function app() {
  const deps = testDeps();
  await deps.products.insert([aProduct({ id: 'mug' }), aProduct({ id: 'pot' })]);
  await deps.baskets.add('alice', 'mug', 3);
  await deps.baskets.add('alice', 'pot', 1);
  return testApp(['remove-from-basket'], deps);
}

describe('remove-from-basket', () => {
  it('removes some units of a line', async () => {
    const res = await (await app()).request('POST', '/api/v1/baskets/remove', {
      user_id: 'alice',
      product_id: 'mug',
      quantity: 2,
    });
    expect(res.status).toBe(200);
    expect(res.body.items).toMatchObject([
      { product_id: 'mug', quantity: 1 },
      { product_id: 'pot', quantity: 1 },
    ]);
  });

  it('removes the whole line without a quantity, or when removing at least what is there', async () => {
    const a = await app();
    expect(
      (await a.request('POST', '/api/v1/baskets/remove', { user_id: 'alice', product_id: 'mug' })).body.items,
    ).toMatchObject([{ product_id: 'pot' }]);
    expect(
      (await a.request('POST', '/api/v1/baskets/remove', { user_id: 'alice', product_id: 'pot', quantity: 5 })).body
        .items,
    ).toEqual([]);
  });

  it('refuses a quantity of zero', async () => {
    const res = await (await app()).request('POST', '/api/v1/baskets/remove', {
      user_id: 'alice',
      product_id: 'mug',
      quantity: 0,
    });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('quantity');
  });

  it('answers a retry with the same Idempotency-Key as the first removal, removing nothing more; another with it is a 422', async () => {
    const a = await app();
    const remove = (body: object, key: string) =>
      a.request(
        'POST',
        '/api/v1/baskets/remove',
        { user_id: 'alice', product_id: 'mug', ...body },
        { 'idempotency-key': key },
      );
    const first = await remove({ quantity: 1 }, 'rm-1');
    expect(first.body.items).toMatchObject([{ product_id: 'mug', quantity: 2 }, { product_id: 'pot' }]);
    expect(await remove({ quantity: 1 }, 'rm-1')).toMatchObject({ status: 200, body: first.body });
    const reused = await remove({}, 'rm-1');
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    expect(await a.deps.baskets.get('alice')).toEqual([
      { product_id: 'mug', quantity: 2 },
      { product_id: 'pot', quantity: 1 },
    ]);
  });
});
