import { beforeEach, describe, expect, it } from 'vitest';
import { TEST_CARDS, type PaymentProvider } from '../../functions/payment/provider.ts';

const card = (number: string = TEST_CARDS.approved) => ({ number, holder: 'Pat Payer', expiry: '12/30', cvv: '123' });
const usd = (amount_minor: number) => ({ amount_minor, currency: 'USD' });

/** The behaviour every adapter of the built-in test provider must have: a real PSP's rules. */
export function paymentProviderContract(adapter: string, make: () => Promise<PaymentProvider>, enabled = true) {
  describe.runIf(enabled)(`PaymentProvider contract: ${adapter}`, () => {
    let provider: PaymentProvider;
    beforeEach(async () => {
      provider = await make();
    });
    const money = async (kind: 'charge' | 'refund') =>
      (await provider.ledger())
        .filter((e) => e.kind === kind && (e.outcome === 'approved' || e.outcome === 'refunded'))
        .reduce((sum, e) => sum + e.amount.amount_minor, 0);

    it('charges once per key and answers a retry with the first answer', async () => {
      expect(await provider.charge({ key: 'p1', amount: usd(5000), card: card() })).toEqual({ approved: true });
      expect(await provider.charge({ key: 'p1', amount: usd(5000), card: card() })).toEqual({ approved: true });
      const declined = { key: 'p2', amount: usd(5000), card: card(TEST_CARDS.declined) };
      expect(await provider.charge(declined)).toEqual({ approved: false, reason: 'card_declined' });
      expect(await provider.charge(declined)).toEqual({ approved: false, reason: 'card_declined' });
      expect(await money('charge')).toBe(5000);
      expect((await provider.ledger()).map((e) => [e.key, e.outcome])).toEqual([
        ['p1', 'approved'],
        ['p2', 'declined'],
      ]);
    });

    it('refuses a key reused with another amount, moving nothing', async () => {
      await provider.charge({ key: 'p1', amount: usd(5000), card: card() });
      await expect(provider.charge({ key: 'p1', amount: usd(9000), card: card() })).rejects.toThrow(/other parameters/);
      await provider.refund({ key: 'r1', charge: 'p1', amount: usd(1000) });
      await expect(provider.refund({ key: 'r1', charge: 'p1', amount: usd(2000) })).rejects.toThrow(/other parameters/);
      expect([await money('charge'), await money('refund')]).toEqual([5000, 1000]);
    });

    it('refunds each key once, and never more than remains captured', async () => {
      await provider.charge({ key: 'p1', amount: usd(5000), card: card() });
      expect(await provider.refund({ key: 'r1', charge: 'p1', amount: usd(2000) })).toEqual({ refunded: true });
      expect(await provider.refund({ key: 'r1', charge: 'p1', amount: usd(2000) })).toEqual({ refunded: true });
      expect(await provider.refund({ key: 'r2', charge: 'p1', amount: usd(2000) })).toEqual({ refunded: true });
      expect(await provider.refund({ key: 'r3', charge: 'p1', amount: usd(1001) })).toEqual({
        refunded: false,
        reason: 'refund of 1001 exceeds the 1000 left captured on charge p1',
      });
      expect(await provider.refund({ key: 'r3', charge: 'p1', amount: usd(1000) })).toEqual({ refunded: true });
      expect(await money('refund')).toBe(5000);
    });

    it('refuses refunds of a charge it did not capture', async () => {
      await provider.charge({ key: 'p2', amount: usd(5000), card: card(TEST_CARDS.declined) });
      expect(await provider.refund({ key: 'r1', charge: 'nope', amount: usd(1) })).toMatchObject({ refunded: false });
      expect(await provider.refund({ key: 'r2', charge: 'p2', amount: usd(1) })).toMatchObject({ refunded: false });
      await provider.charge({ key: 'p3', amount: usd(5000), card: card() });
      expect(
        await provider.refund({ key: 'r3', charge: 'p3', amount: { amount_minor: 1, currency: 'EUR' } }),
      ).toMatchObject({ refunded: false });
      expect(await money('refund')).toBe(0);
    });

    it('pays one of 20 concurrent full refunds under their own keys, and one of 20 under the same key', async () => {
      await provider.charge({ key: 'p1', amount: usd(5000), card: card() });
      const own = await Promise.all(
        Array.from({ length: 20 }, (_, i) => provider.refund({ key: `own-${i}`, charge: 'p1', amount: usd(5000) })),
      );
      expect(own.filter((r) => r.refunded)).toHaveLength(1);
      await provider.charge({ key: 'p2', amount: usd(5000), card: card() });
      const same = await Promise.all(
        Array.from({ length: 20 }, () => provider.refund({ key: 'same', charge: 'p2', amount: usd(5000) })),
      );
      expect(same.every((r) => r.refunded)).toBe(true);
      expect(await money('refund')).toBe(10_000);
    });

    it('closes a charge key: the answer when charged, else voided for ever', async () => {
      await provider.charge({ key: 'p1', amount: usd(5000), card: card() });
      expect(await provider.closeCharge('p1')).toEqual({ approved: true });
      expect(await provider.closeCharge('p9')).toEqual({ approved: false, reason: 'voided' });
      expect(await provider.charge({ key: 'p9', amount: usd(5000), card: card() })).toEqual({
        approved: false,
        reason: 'voided',
      });
      expect(await money('charge')).toBe(5000);
    });
  });
}
