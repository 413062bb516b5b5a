import { describe, expect, it } from 'vitest';
import { ProductService } from '../../gen/shop/product/v1/product_pb.ts';
import { asAdmin, testApp } from '../../test/support/function-app.ts';

const body = { name: 'Teapot', category: 'kitchen', price: { amount_minor: 3400, currency: 'USD' }, stock: 5 };

describe('create-product', () => {
  it('creates a product for the admin and answers 201', async () => {
    const app = testApp(['create-product']);
    const res = await app.request('POST', '/api/v1/products', body, asAdmin);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ...body, id: 'id-1', description: '', created_at: '2026-01-15T10:00:00.000Z' });
    expect(await app.deps.products.get('id-1')).toEqual(res.body);
  });

  it('answers 401 without a token or with a wrong one, creating nothing', async () => {
    const app = testApp(['create-product']);
    expect((await app.request('POST', '/api/v1/products', body)).status).toBe(401);
    expect((await app.request('POST', '/api/v1/products', body, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await app.deps.products.list({ limit: 10, offset: 0 })).total).toBe(0);
  });

  it('answers 403 saying how to enable writes when no admin token is configured', async () => {
    const res = await testApp(['create-product'], undefined, null).request('POST', '/api/v1/products', body, asAdmin);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain('set ADMIN_TOKEN');
  });

  it('names the offending field of invalid input', async () => {
    const app = testApp(['create-product']);
    const cases: [object, string][] = [
      [{ ...body, name: '' }, 'name'],
      [{ ...body, price: { amount_minor: -1, currency: 'USD' } }, 'price.amount_minor'],
      [{ ...body, price: { amount_minor: 1.5, currency: 'USD' } }, 'price.amount_minor'],
      [{ ...body, price: { amount_minor: 100, currency: 'EUR' } }, 'price.currency'],
      [{ ...body, stock: -3 }, 'stock'],
      [{ ...body, category: undefined }, 'category'],
    ];
    for (const [input, field] of cases) {
      const res = await app.request('POST', '/api/v1/products', input, asAdmin);
      expect(res.status, field).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
  });

  it('creates over Connect with the admin token', async () => {
    const app = testApp(['create-product']);
    const product = await app
      .client(ProductService)
      .createProduct(
        { name: 'Cup', category: 'kitchen', price: { amountMinor: 900n, currency: 'USD' }, stock: 2 },
        { headers: asAdmin },
      );
    expect(product.id).toBe('id-1');
  });
});
