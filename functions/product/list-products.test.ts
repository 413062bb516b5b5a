import { describe, expect, it } from 'vitest';
import { ProductService } from '../../gen/shop/product/v1/product_pb.ts';
import { aProduct, testDeps } from '../../test/support/function-deps.ts';
import { testApp } from '../../test/support/function-app.ts';

async function shop() {
  const deps = testDeps();
  await deps.products.insert([
    aProduct({ id: 'a', name: 'Apple', category: 'food' }),
    aProduct({ id: 'b', name: 'Banana', category: 'food' }),
    aProduct({ id: 'c', name: 'Cup', category: 'kitchen' }),
  ]);
  return testApp(['list-products'], deps);
}

describe('list-products', () => {
  it('lists products by name with the total', async () => {
    const res = await (await shop()).request('GET', '/api/v1/products');
    expect(res.status).toBe(200);
    expect(res.body.products.map((p: { id: string }) => p.id)).toEqual(['a', 'b', 'c']);
    expect(res.body.total).toBe(3);
  });

  it('filters by category and pages with limit and offset', async () => {
    const res = await (await shop()).request('GET', '/api/v1/products?category=food&limit=1&offset=1');
    expect(res.body).toMatchObject({ products: [{ id: 'b' }], total: 2 });
  });

  it('refuses a limit that is not a whole number from 1 to 100', async () => {
    const app = await shop();
    for (const limit of ['0', '101', 'abc', '1.5']) {
      const res = await app.request('GET', `/api/v1/products?limit=${limit}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_argument', field: 'limit' });
    }
  });

  it('answers the same over Connect', async () => {
    const res = await (await shop()).client(ProductService).listProducts({ category: 'kitchen' });
    expect(res.total).toBe(1);
    expect(res.products[0]?.price?.amountMinor).toBe(1250n);
  });
});
