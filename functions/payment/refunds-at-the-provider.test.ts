import { describe, expect, it } from 'vitest';
import { stockRejected } from '../../test/support/test-events.ts';
import { asAdmin, testApp } from '../../test/support/function-app.ts';
import { aProduct, testDeps } from '../../test/support/function-deps.ts';
import { onEveryMoneyAdapter, type MoneyStores } from '../../test/support/payment-adapters.ts';
import { card } from '../../test/support/test-checkout.ts';
import type { PaymentProvider } from './provider.ts';

/** What the provider's ledger says moved: captured by charges, paid back by refunds. */
async function moved(provider: PaymentProvider) {
  const ledger = await provider.ledger();
  const total = (outcome: string) =>
    ledger.filter((e) => e.outcome === outcome).reduce((sum, e) => sum + e.amount.amount_minor, 0);
  return {
    captured: total('approved'),
    refunded: total('refunded'),
    refunds: ledger.filter((e) => e.kind === 'refund'),
  };
}

/** A shop on `stores` where alice has paid 5,000 for two mugs: the app, the payment id. */
async function paidShop(stores: MoneyStores) {
  let n = 0;
  const deps = testDeps({ ...stores, newId: () => `id-${++n}-${Math.random().toString(36).slice(2, 8)}` });
  await deps.products.insert([aProduct({ id: 'mug', stock: 5, price: { amount_minor: 2500, currency: 'USD' } })]);
  await deps.baskets.add('alice', 'mug', 2);
  const a = testApp(['process-payment', 'get-payment', 'refund-payment', 'payment/on-stock-rejected'], deps);
  const paid = await a.request('POST', '/api/v1/payments', { user_id: 'alice', card: card() });
  expect(paid.status).toBe(201);
  return { a, id: paid.body.id as string };
}

await onEveryMoneyAdapter((adapter, make, enabled = true) => {
  describe.runIf(enabled)(`money at the provider: ${adapter}`, () => {
    it('20 concurrent full refunds: one is paid, and the provider is asked for exactly what the shop records', async () => {
      const stores = await make();
      const { a, id } = await paidShop(stores);
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => a.request('POST', `/api/v1/payments/${id}/refund`, undefined, asAdmin)),
      );
      expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
      expect(answers.filter((r) => r.status === 409)).toHaveLength(19);
      const payment = (await a.request('GET', `/api/v1/payments/${id}`, undefined, asAdmin)).body;
      expect(payment).toMatchObject({ status: 'refunded', refunded: { amount_minor: 5000 } });
      const ledger = await moved(stores.provider);
      expect([ledger.captured, ledger.refunded, ledger.refunds.length]).toEqual([5000, 5000, 1]);
    });

    it('partial refunds go to the provider each under its own key; concurrent ones never pass what was captured', async () => {
      const stores = await make();
      const { a, id } = await paidShop(stores);
      const answers = await Promise.all(
        Array.from({ length: 8 }, () =>
          a.request('POST', `/api/v1/payments/${id}/refund`, { amount_minor: 1500 }, asAdmin),
        ),
      );
      expect(answers.filter((r) => r.status === 200)).toHaveLength(3);
      const ledger = await moved(stores.provider);
      expect(ledger.refunded).toBe(4500);
      expect(new Set(ledger.refunds.map((e) => e.key)).size).toBe(3);
      expect((await a.request('GET', `/api/v1/payments/${id}`, undefined, asAdmin)).body.refunded.amount_minor).toBe(
        4500,
      );
    });

    it("a merchant's full refund racing the saga's: the provider pays back what was captured, once", async () => {
      const stores = await make();
      const { a, id } = await paidShop(stores);
      const events = [stockRejected('s1', id), stockRejected('s1', id), stockRejected('s2', id)];
      const deliver = (e: (typeof events)[number]) => a.deliver('/payment-stock-rejected', e);
      const [merchant, ...saga] = await Promise.all([
        a.request('POST', `/api/v1/payments/${id}/refund`, undefined, asAdmin),
        ...events.map(deliver),
      ]);
      expect([200, 409]).toContain(merchant!.status);
      // An event that met the merchant's refund still pending is handed back (503), and the
      // transport delivers it again: it then finds nothing left.
      expect(saga.every((r) => r.status === 200 || r.status === 503)).toBe(true);
      for (const e of events) expect((await deliver(e)).status).toBe(200);
      const payment = (await a.request('GET', `/api/v1/payments/${id}`, undefined, asAdmin)).body;
      expect(payment).toMatchObject({ status: 'refunded', refunded: { amount_minor: 5000 } });
      const ledger = await moved(stores.provider);
      expect([ledger.refunded, ledger.refunds.length]).toEqual([5000, 1]);
    });
  });
});
