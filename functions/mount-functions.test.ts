import { describe, expect, it } from 'vitest';
import { testApp } from '../test/support/function-app.ts';

describe('functions served over HTTP', () => {
  it('answers 405 to a method a literal path lacks, before a route with a parameter takes the path as a value', async () => {
    // Served together (as several functions of one process): GET and DELETE /api/v1/baskets/:user_id
    // would read and clear the basket of user "add".
    const a = testApp(['get-basket', 'add-to-basket', 'remove-from-basket', 'clear-basket']);
    for (const [method, path] of [
      ['GET', '/api/v1/baskets/add'],
      ['DELETE', '/api/v1/baskets/add'],
      ['DELETE', '/api/v1/baskets/remove'],
    ]) {
      const res = await a.request(method!, path!);
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow'), `${method} ${path}`).toBe('POST, OPTIONS');
      expect(res.body, `${method} ${path}`).toMatchObject({ error: { code: 'method_not_allowed' } });
    }
    expect((await a.request('GET', '/api/v1/baskets/alice')).status).toBe(200);
  });

  it('answers 405 with the function alone too, its RPC path included', async () => {
    const a = testApp(['add-to-basket']);
    const rest = await a.request('GET', '/api/v1/baskets/add');
    expect(rest.status).toBe(405);
    expect(rest.headers.get('allow')).toBe('POST, OPTIONS');
    const rpc = await a.request('GET', '/shop.basket.v1.BasketService/AddToBasket');
    expect(rpc.status).toBe(405);
    expect(rpc.headers.get('allow')).toBe('POST, OPTIONS');
  });
});
