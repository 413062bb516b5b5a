import { Code, ConnectError } from '@connectrpc/connect';
import { describe, expect, it } from 'vitest';
import { ProductService } from '../../gen/shop/product/v1/product_pb.ts';
import { aProduct, testDeps } from '../../test/support/function-deps.ts';
import { testApp } from '../../test/support/function-app.ts';

describe('get-product', () => {
  it('returns a product with the documented fields', async () => {
    const deps = testDeps();
    await deps.products.insert([aProduct()]);
    const res = await testApp(['get-product'], deps).request('GET', '/api/v1/products/mug');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(aProduct());
  });

  it('answers 404 for an unknown product, and NOT_FOUND over Connect', async () => {
    const app = testApp(['get-product']);
    const res = await app.request('GET', '/api/v1/products/nope');
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({ code: 'not_found', message: 'product nope not found' });
    const err = await app
      .client(ProductService)
      .getProduct({ id: 'nope' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect(err.code).toBe(Code.NotFound);
  });

  it('refuses an id with characters outside the allowed set', async () => {
    const res = await testApp(['get-product']).request('GET', `/api/v1/products/${encodeURIComponent("x' or 1=1")}`);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe('id');
  });
});
