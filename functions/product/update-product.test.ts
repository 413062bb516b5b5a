import { describe, expect, it } from 'vitest';
import { aProduct, testDeps } from '../../test/support/function-deps.ts';
import { asAdmin, testApp } from '../../test/support/function-app.ts';

async function app() {
  const deps = testDeps();
  await deps.products.insert([aProduct()]);
  return testApp(['update-product'], deps);
}

describe('update-product', () => {
  it('changes only the given fields', async () => {
    const res = await (await app()).request(
      'PUT',
      '/api/v1/products/mug',
      { name: 'Big Mug', price: { amount_minor: 1500, currency: 'USD' } },
      asAdmin,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Big Mug',
      price: { amount_minor: 1500 },
      description: 'A mug',
      stock: 10,
      updated_at: '2026-01-15T10:00:00.000Z',
    });
  });

  it('refuses an empty change and an unknown product', async () => {
    const a = await app();
    expect((await a.request('PUT', '/api/v1/products/mug', {}, asAdmin)).status).toBe(400);
    expect((await a.request('PUT', '/api/v1/products/none', { name: 'x' }, asAdmin)).status).toBe(404);
  });

  it('needs the admin token', async () => {
    expect((await (await app()).request('PUT', '/api/v1/products/mug', { name: 'x' })).status).toBe(401);
  });
});
