import { describe, expect, it } from 'vitest';
import { asUser, call, eventually, GATEWAY_ADMIN, useShop, type RunningShop } from './running-shop.ts';

/**
 * The whole shop flow through the gateway of a shop that `start` runs; `more` adds tests on the same
 * shop; `startTimeoutMs` bounds the start when it may take longer than the hook timeout.
 */
export function shopFlow(
  label: string,
  start: () => Promise<RunningShop>,
  enabled = true,
  more?: (gw: { url: string }) => void,
  startTimeoutMs?: number,
) {
  const card = (number = '4242424242424242') => ({ number, holder: 'Alice Doe', expiry: '12/30', cvv: '123' });

  describe.runIf(enabled)(`the shop end to end through the gateway: ${label}`, () => {
    const gw = useShop(start, enabled, startTimeoutMs);
    const api = (path: string) => `${gw.url}/api/v1${path}`;

    it('serves health and the seeded demo catalog of at least 20 products', async () => {
      expect((await call(`${gw.url}/health`)).body).toMatchObject({ status: 'ok' });
      const all = await call(api('/products?limit=100'));
      expect(all.body.total).toBeGreaterThanOrEqual(20);
      const kitchen = await call(api('/products?category=kitchen&limit=2'));
      expect(kitchen.body.products).toHaveLength(2);
      expect(kitchen.body.products.every((p: { category: string }) => p.category === 'kitchen')).toBe(true);
    });

    it('browse, add, pay: stock drops and the basket clears through payment-completed', async () => {
      const before = (await call(api('/products/french-press'))).body.stock;
      const alice = await asUser('e2e-alice');
      await call(api('/baskets/add'), 'POST', { user_id: 'e2e-alice', product_id: 'french-press', quantity: 2 }, alice);
      const basket = await call(
        api('/baskets/add'),
        'POST',
        { user_id: 'e2e-alice', product_id: 'kettle', quantity: 1 },
        alice,
      );
      expect(basket.body.total).toEqual({ amount_minor: 2 * 2900 + 5900, currency: 'USD' });

      const payment = await call(
        api('/payments'),
        'POST',
        { user_id: 'e2e-alice', card: card() },
        { 'idempotency-key': 'e2e-1', ...alice },
      );
      expect(payment.status).toBe(201);
      expect(payment.body).toMatchObject({
        status: 'completed',
        amount: { amount_minor: 11700 },
        card: { last4: '4242' },
      });

      await eventually(async () => (await call(api('/products/french-press'))).body.stock === before - 2);
      await eventually(
        async () => (await call(api('/baskets/e2e-alice'), 'GET', undefined, alice)).body.items.length === 0,
      );
      expect((await call(api(`/payments/${payment.body.id}`), 'GET', undefined, alice)).body.status).toBe('completed');

      const retry = await call(
        api('/payments'),
        'POST',
        { user_id: 'e2e-alice', card: card() },
        { 'idempotency-key': 'e2e-1', ...alice },
      );
      expect(retry).toMatchObject({ status: 201, body: { id: payment.body.id } });
      // A later checkout is the signal: once its effects are applied, a retry that took stock too would show.
      await call(api('/baskets/add'), 'POST', { user_id: 'e2e-alice', product_id: 'french-press', quantity: 1 }, alice);
      expect(
        (
          await call(
            api('/payments'),
            'POST',
            { user_id: 'e2e-alice', card: card() },
            { 'idempotency-key': 'e2e-2', ...alice },
          )
        ).status,
      ).toBe(201);
      // Stock and basket are two handlers, each in its own time: wait for both effects.
      await eventually(async () => (await call(api('/products/french-press'))).body.stock <= before - 3);
      await eventually(
        async () => (await call(api('/baskets/e2e-alice'), 'GET', undefined, alice)).body.items.length === 0,
      );
      expect((await call(api('/products/french-press'))).body.stock).toBe(before - 3);
    });

    it('a declined card answers 402 and leaves stock and basket alone', async () => {
      const bob = await asUser('e2e-bob');
      await call(api('/baskets/add'), 'POST', { user_id: 'e2e-bob', product_id: 'notebook', quantity: 1 }, bob);
      const stock = (await call(api('/products/notebook'))).body.stock;
      const declined = await call(
        api('/payments'),
        'POST',
        { user_id: 'e2e-bob', card: card('4000000000000002') },
        bob,
      );
      expect(declined).toMatchObject({ status: 402, body: { status: 'failed' } });
      // Paying again with a good card is the signal: it charges the basket as the decline left it,
      // and once its effects are applied, a decline that took stock too would show.
      const paid = await call(api('/payments'), 'POST', { user_id: 'e2e-bob', card: card() }, bob);
      expect(paid).toMatchObject({ status: 201, body: { items: [{ product_id: 'notebook', quantity: 1 }] } });
      await eventually(async () => (await call(api('/products/notebook'))).body.stock <= stock - 1);
      await eventually(
        async () => (await call(api('/baskets/e2e-bob'), 'GET', undefined, bob)).body.items.length === 0,
      );
      expect((await call(api('/products/notebook'))).body.stock).toBe(stock - 1);
    });

    it('an empty basket answers 409', async () => {
      const res = await call(
        api('/payments'),
        'POST',
        { user_id: 'e2e-nobody', card: card() },
        await asUser('e2e-nobody'),
      );
      expect(res).toMatchObject({ status: 409, body: { error: { code: 'basket_empty' } } });
    });

    it('refunds through the gateway: the merchant may, the payer may not, and the ledgers agree', async () => {
      const carol = await asUser('e2e-carol');
      const admin = { authorization: `Bearer ${GATEWAY_ADMIN}` };
      await call(api('/baskets/add'), 'POST', { user_id: 'e2e-carol', product_id: 'yoga-mat', quantity: 1 }, carol);
      const paid = await call(api('/payments'), 'POST', { user_id: 'e2e-carol', card: card() }, carol);
      const body = { amount_minor: 500, reason: 'scratched' };
      const own = await call(api(`/payments/${paid.body.id}/refund`), 'POST', body, carol);
      expect([own.status, own.body.error?.code]).toEqual([403, 'forbidden']);
      const refund = await call(api(`/payments/${paid.body.id}/refund`), 'POST', body, admin);
      expect(refund.body).toMatchObject({ status: 'partially_refunded', refunded: { amount_minor: 500 } });
      const reconciled = await call(api('/reconciliation?pending_older_than_seconds=60'), 'GET', undefined, admin);
      expect([reconciled.status, reconciled.body.differences]).toEqual([200, []]);
    });

    it('buyers racing for the last unit: one order is served, every other refused or refunded in full (saga)', async () => {
      const admin = { authorization: `Bearer ${GATEWAY_ADMIN}` };
      const product = { name: 'Last one', category: 'test', price: { amount_minor: 4200, currency: 'USD' }, stock: 1 };
      const created = await call(api('/products'), 'POST', product, admin);
      expect(created.status).toBe(201);
      const id: string = created.body.id;
      const buyers = ['e2e-saga-1', 'e2e-saga-2', 'e2e-saga-3', 'e2e-saga-4'];
      for (const user of buyers)
        expect(
          (await call(api('/baskets/add'), 'POST', { user_id: user, product_id: id, quantity: 1 }, await asUser(user)))
            .body,
        ).toMatchObject({ items: [{ product_id: id }] });
      // A payment checks stock, but stock is taken when payment-completed is applied: payments
      // that race past the check before that are refunded by the saga.
      const answers = await Promise.all(
        buyers.map(async (user) => call(api('/payments'), 'POST', { user_id: user, card: card() }, await asUser(user))),
      );
      for (const a of answers)
        expect(a.status === 201 || a.body.error?.code === 'insufficient_stock', JSON.stringify(a.body)).toBe(true);
      const accepted = answers.filter((a) => a.status === 201);
      const final = async () =>
        Promise.all(
          accepted.map(
            async (p) =>
              (await call(api(`/payments/${p.body.id}`), 'GET', undefined, await asUser(p.body.user_id))).body,
          ),
        );
      await eventually(
        async () => (await final()).filter((p) => p.status === 'refunded').length === accepted.length - 1,
        20_000,
      );
      const payments = await final();
      expect(payments.filter((p) => p.status === 'completed')).toHaveLength(1);
      for (const p of payments.filter((p) => p.status === 'refunded')) {
        expect(p).toMatchObject({
          refunded: { amount_minor: 4200 },
          refund_reason: `out_of_stock: product ${id} had 0, the order needed 1`,
        });
      }
      expect((await call(api(`/products/${id}`))).body.stock).toBe(0);
    });

    more?.(gw);
  });
}
