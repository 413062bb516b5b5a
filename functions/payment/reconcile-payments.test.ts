import { describe, expect, it } from 'vitest';
import { PaymentService } from '../../gen/shop/payment/v1/payment_pb.ts';
import { asAdmin, testApp } from '../../test/support/function-app.ts';
import { aProduct, testDeps } from '../../test/support/function-deps.ts';
import { onEveryMoneyAdapter, type MoneyStores } from '../../test/support/payment-adapters.ts';
import { card } from '../../test/support/test-checkout.ts';

/** A shop on `stores` where alice paid 5,000 and the merchant refunded 1,000 of it. */
async function tradedShop(stores: MoneyStores) {
  let n = 0;
  let clock = Date.parse('2026-01-15T10:00:00.000Z');
  const deps = testDeps({ ...stores, newId: () => `id-${++n}`, now: () => new Date(clock).toISOString() });
  await deps.products.insert([aProduct({ id: 'mug', stock: 5, price: { amount_minor: 2500, currency: 'USD' } })]);
  await deps.baskets.add('alice', 'mug', 2);
  const a = testApp(['process-payment', 'refund-payment', 'reconcile-payments'], deps);
  const paid = await a.request('POST', '/api/v1/payments', { user_id: 'alice', card: card() });
  await a.request('POST', `/api/v1/payments/${paid.body.id}/refund`, { amount_minor: 1000 }, asAdmin);
  const reconciled = async (query = '') =>
    (await a.request('GET', `/api/v1/reconciliation${query}`, undefined, asAdmin)).body;
  return { a, deps, id: paid.body.id as string, reconciled, later: (ms: number) => (clock += ms) };
}

await onEveryMoneyAdapter((adapter, make, enabled = true) => {
  describe.runIf(enabled)(`reconciliation: ${adapter}`, () => {
    it('finds no difference when every charge and refund went the shop’s way, and totals both sides', async () => {
      const { reconciled } = await tradedShop(await make());
      const totals = { currency: 'USD', captured_minor: 5000, refunded_minor: 1000, charges: 1, refunds: 1 };
      expect(await reconciled()).toEqual({
        differences: [],
        provider: { ...totals, pending: 0 },
        shop: { ...totals, pending: 0 },
        checked_at: '2026-01-15T10:00:00.000Z',
      });
    });

    it('reports money moved at the provider that the shop does not record', async () => {
      const stores = await make();
      const { reconciled, id } = await tradedShop(stores);
      // Planted in the provider's ledger: a refund and a charge the shop never asked for.
      await stores.provider.refund({
        key: 'planted-refund',
        charge: id,
        amount: { amount_minor: 700, currency: 'USD' },
      });
      await stores.provider.charge({
        key: 'planted-charge',
        amount: { amount_minor: 900, currency: 'USD' },
        card: card(),
      });
      const { differences, provider, shop } = await reconciled();
      expect(differences).toEqual([
        expect.objectContaining({ kind: 'charge_not_recorded', key: 'planted-charge', provider_amount_minor: 900 }),
        expect.objectContaining({
          kind: 'refund_not_recorded',
          key: 'planted-refund',
          payment_id: id,
          provider_amount_minor: 700,
        }),
      ]);
      expect([provider.captured_minor, provider.refunded_minor]).toEqual([5900, 1700]);
      expect([shop.captured_minor, shop.refunded_minor]).toEqual([5000, 1000]);
    });

    it('reports what stays pending past the bound, and is for admins only, over REST and Connect', async () => {
      const { a, deps, reconciled, later } = await tradedShop(await make());
      await deps.baskets.add('alice', 'mug', 1);
      const stalled = { ...deps.provider, charge: () => new Promise<never>(() => {}) };
      a.deps.provider = stalled;
      void a.request('POST', '/api/v1/payments', { user_id: 'alice', card: card() });
      await expect.poll(async () => (await reconciled()).shop.pending).toBe(1);
      expect((await reconciled()).differences).toEqual([]);
      later(301_000);
      expect((await reconciled()).differences).toEqual([expect.objectContaining({ kind: 'pending_too_long' })]);
      expect((await reconciled('?pending_older_than_seconds=400')).differences).toEqual([]);
      expect((await a.request('GET', '/api/v1/reconciliation')).status).toBe(401);
      const rpc = await a.client(PaymentService).reconcile({}, { headers: asAdmin });
      expect(rpc.differences.map((d) => d.kind)).toEqual(['pending_too_long']);
      expect(rpc.provider?.capturedMinor).toBe(5000n);
    });
  });
});
