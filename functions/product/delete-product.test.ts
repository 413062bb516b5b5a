import { describe, expect, it } from 'vitest';
import { aProduct, testDeps } from '../../test/support/function-deps.ts';
import { asAdmin, testApp } from '../../test/support/function-app.ts';

describe('delete-product', () => {
  it('deletes a product and answers 204, then 404', async () => {
    const deps = testDeps();
    await deps.products.insert([aProduct()]);
    const app = testApp(['delete-product'], deps);
    expect((await app.request('DELETE', '/api/v1/products/mug', undefined, asAdmin)).status).toBe(204);
    expect(await deps.products.get('mug')).toBeUndefined();
    expect((await app.request('DELETE', '/api/v1/products/mug', undefined, asAdmin)).status).toBe(404);
  });

  it('needs the admin token', async () => {
    const deps = testDeps();
    await deps.products.insert([aProduct()]);
    expect((await testApp(['delete-product'], deps).request('DELETE', '/api/v1/products/mug')).status).toBe(401);
    expect(await deps.products.get('mug')).toBeDefined();
  });
});
