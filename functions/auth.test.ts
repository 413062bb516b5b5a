import { describe, expect, it } from 'vitest';
import { signToken } from '../platform/auth.ts';
import { TEST_CARDS } from './payment/provider.ts';
import { ADMIN, testApp } from '../test/support/function-app.ts';
import { aProduct, testDeps } from '../test/support/function-deps.ts';

const SECRET = 'auth-test-secret-0123456789-abcdefghijklmnop';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const as = async (user: string, opts: { admin?: boolean; expiresInSeconds?: number; secret?: string } = {}) =>
  bearer(await signToken(opts.secret ?? SECRET, user, opts));
const card = { number: TEST_CARDS.approved, holder: 'Alice Doe', expiry: '12/30', cvv: '123' };

/** Every basket, payment and product function, authenticating with JWTs signed with SECRET. */
async function shop() {
  const deps = testDeps();
  await deps.products.insert([aProduct({ id: 'mug', stock: 10 })]);
  return testApp(
    [
      'get-basket',
      'add-to-basket',
      'clear-basket',
      'process-payment',
      'get-payment',
      'refund-payment',
      'create-product',
      'get-product',
    ],
    deps,
    ADMIN,
    undefined,
    { mode: 'jwt', jwtSecret: SECRET },
  );
}

describe('authentication and ownership (JWT)', () => {
  it("lets a user read and change only their own basket: 403 for another user's, 401 without a token", async () => {
    const a = await shop();
    const alice = await as('alice');
    expect(
      (await a.request('POST', '/api/v1/baskets/add', { user_id: 'alice', product_id: 'mug', quantity: 1 }, alice))
        .status,
    ).toBe(200);
    expect((await a.request('GET', '/api/v1/baskets/alice', undefined, alice)).body.items).toHaveLength(1);
    expect(await a.request('GET', '/api/v1/baskets/alice', undefined, await as('bob'))).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden', message: 'user bob may not act for user alice' } },
    });
    expect(
      (
        await a.request(
          'POST',
          '/api/v1/baskets/add',
          { user_id: 'alice', product_id: 'mug', quantity: 1 },
          await as('bob'),
        )
      ).status,
    ).toBe(403);
    expect((await a.request('DELETE', '/api/v1/baskets/alice', undefined, await as('bob'))).status).toBe(403);
    // The hint's command must print the token only (`-s`: no npm banner in what `$(...)` captures).
    expect(await a.request('GET', '/api/v1/baskets/alice')).toMatchObject({
      status: 401,
      body: {
        error: {
          code: 'unauthenticated',
          message:
            'this operation needs "Authorization: Bearer <JWT>" (npm run -s token -- <user> makes a development one)',
        },
      },
    });
    expect(await a.deps.baskets.get('alice')).toEqual([{ product_id: 'mug', quantity: 1 }]);
  });

  it('answers 401 to a forged, expired or subject-less token, and changes nothing', async () => {
    const a = await shop();
    const add = (headers: Record<string, string>) =>
      a.request('POST', '/api/v1/baskets/add', { user_id: 'alice', product_id: 'mug', quantity: 1 }, headers);
    expect(await add(await as('alice', { secret: 'another-secret-0123456789-abcdefghijklmn' }))).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthenticated' } },
    });
    expect(await add(await as('alice', { expiresInSeconds: -60 }))).toMatchObject({
      status: 401,
      body: { error: { message: 'the bearer token is not valid: it has expired' } },
    });
    expect((await add(bearer('not.a.jwt'))).status).toBe(401);
    expect((await add(await as(''))).status).toBe(401);
    expect(await a.deps.baskets.get('alice')).toEqual([]);
  });

  it('lets only the payer (or an admin) pay and read a payment, and only an admin refund it', async () => {
    const a = await shop();
    const alice = await as('alice');
    await a.request('POST', '/api/v1/baskets/add', { user_id: 'alice', product_id: 'mug', quantity: 1 }, alice);
    expect((await a.request('POST', '/api/v1/payments', { user_id: 'alice', card }, await as('mallory'))).status).toBe(
      403,
    );
    const paid = await a.request('POST', '/api/v1/payments', { user_id: 'alice', card }, alice);
    expect(paid.status).toBe(201);
    expect((await a.request('GET', `/api/v1/payments/${paid.body.id}`, undefined, alice)).status).toBe(200);
    expect((await a.request('GET', `/api/v1/payments/${paid.body.id}`, undefined, await as('mallory'))).status).toBe(
      403,
    );
    expect((await a.request('GET', `/api/v1/payments/${paid.body.id}`)).status).toBe(401);
    expect((await a.request('POST', `/api/v1/payments/${paid.body.id}/refund`, {}, await as('mallory'))).status).toBe(
      403,
    );
    // The payer may not take back what they keep: a refund is the merchant's.
    const own = await a.request('POST', `/api/v1/payments/${paid.body.id}/refund`, {}, alice);
    expect([own.status, own.body.error.code]).toEqual([403, 'forbidden']);
    expect((await a.request('GET', `/api/v1/payments/${paid.body.id}`, undefined, alice)).body.status).toBe(
      'completed',
    );
    expect(
      (await a.request('GET', `/api/v1/payments/${paid.body.id}`, undefined, await as('support', { admin: true })))
        .status,
    ).toBe(200);
    expect(
      (
        await a.request(
          'POST',
          `/api/v1/payments/${paid.body.id}/refund`,
          { amount_minor: 100 },
          await as('support', { admin: true }),
        )
      ).body.status,
    ).toBe('partially_refunded');
  });

  it('keeps product writes for admins (a JWT with role admin, or ADMIN_TOKEN), reads for anyone', async () => {
    const a = await shop();
    const product = { name: 'Teapot', category: 'kitchen', price: { amount_minor: 3400, currency: 'USD' }, stock: 5 };
    expect(await a.request('POST', '/api/v1/products', product, await as('alice'))).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden' } },
    });
    expect((await a.request('POST', '/api/v1/products', product)).status).toBe(401);
    expect((await a.request('POST', '/api/v1/products', product, await as('boss', { admin: true }))).status).toBe(201);
    expect((await a.request('POST', '/api/v1/products', product, bearer(ADMIN))).status).toBe(201);
    expect((await a.request('GET', '/api/v1/products/mug')).status).toBe(200);
  });

  it('checks nothing with AUTH=off, which must be asked for', async () => {
    const open = testApp(['get-basket'], testDeps(), ADMIN, undefined, { mode: 'off' });
    expect((await open.request('GET', '/api/v1/baskets/alice')).status).toBe(200);
  });
});
