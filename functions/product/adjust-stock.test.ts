import { describe, expect, it } from 'vitest';
import { aProduct, testDeps } from '../../test/support/function-deps.ts';
import { asAdmin, testApp } from '../../test/support/function-app.ts';

async function app() {
  const deps = testDeps();
  await deps.products.insert([aProduct({ stock: 3 })]);
  return testApp(['adjust-stock'], deps);
}

describe('adjust-stock', () => {
  it('adds and removes units', async () => {
    const a = await app();
    expect((await a.request('POST', '/api/v1/products/mug/stock', { delta: 5 }, asAdmin)).body.stock).toBe(8);
    expect((await a.request('POST', '/api/v1/products/mug/stock', { delta: -8 }, asAdmin)).body.stock).toBe(0);
  });

  it('never takes stock below zero: 409 and no change', async () => {
    const a = await app();
    const res = await a.request('POST', '/api/v1/products/mug/stock', { delta: -4 }, asAdmin);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('insufficient_stock');
    expect((await a.deps.products.get('mug'))?.stock).toBe(3);
  });

  it('refuses a zero or non-integer delta, and answers 404 for an unknown product', async () => {
    const a = await app();
    expect((await a.request('POST', '/api/v1/products/mug/stock', { delta: 0 }, asAdmin)).status).toBe(400);
    expect((await a.request('POST', '/api/v1/products/mug/stock', { delta: '2x' }, asAdmin)).status).toBe(400);
    expect((await a.request('POST', '/api/v1/products/nope/stock', { delta: 1 }, asAdmin)).status).toBe(404);
  });
});
