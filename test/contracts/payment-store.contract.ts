import { beforeEach, describe, expect, it } from 'vitest';
import { cloudEvent } from '../../functions/events/topics.ts';
import type { OutboxEvent } from '../../platform/events/outbox.ts';
import type { Payment } from '../../functions/payment/payment.ts';
import type { PaymentStore } from '../../functions/payment/store.ts';

const now = '2026-02-01T00:00:00.000Z';

const aPayment = (over: Partial<Payment> = {}): Payment => ({
  id: 'p1',
  order_id: 'o1',
  user_id: 'alice',
  status: 'pending',
  amount: { amount_minor: 3000, currency: 'USD' },
  items: [
    {
      product_id: 'mug',
      name: 'Mug',
      unit_price: { amount_minor: 1500, currency: 'USD' },
      quantity: 2,
      line_total: { amount_minor: 3000, currency: 'USD' },
    },
  ],
  card: { brand: 'visa', last4: '4242' },
  refunded: { amount_minor: 0, currency: 'USD' },
  created_at: now,
  failure_reason: '',
  refund_reason: '',
  ...over,
});

const anEvent = (id: string, p: Payment): OutboxEvent => ({
  topic: 'payment-refunded',
  key: p.id,
  event: cloudEvent('payment-refunded', {
    id,
    source: '/test',
    subject: p.id,
    time: now,
    data: { payment_id: p.id, total_refunded: p.refunded },
  }),
});

/** The behaviour every PaymentStore adapter (and its outbox) must have. */
export function paymentStoreContract(adapter: string, make: () => Promise<PaymentStore>, enabled = true) {
  describe.runIf(enabled)(`PaymentStore contract: ${adapter}`, () => {
    let store: PaymentStore;
    beforeEach(async () => {
      store = await make();
    });

    it('records a pending payment, then finishes it with its events in order', async () => {
      expect(await store.begin(aPayment())).toBeUndefined();
      expect(await store.get('p1')).toEqual(aPayment());
      const done = aPayment({ status: 'completed' });
      await store.finish(done, [anEvent('e1', done), anEvent('e2', done)]);
      expect((await store.get('p1'))?.status).toBe('completed');
      expect((await store.pending(10)).map((e) => e.event.id)).toEqual(['e1', 'e2']);
      expect((await store.pending(1)).map((e) => e.event.id)).toEqual(['e1']);
      const sent: string[] = [];
      expect(await store.relayBatch(1, async (es) => void sent.push(...es.map((e) => e.event.id)))).toBe(1);
      expect(sent).toEqual(['e1']);
      expect((await store.pending(10)).map((e) => e.event.id)).toEqual(['e2']);
      expect(await store.get('nope')).toBeUndefined();
    });

    it('relays the outbox one relay at a time, keeping a failed batch pending', async () => {
      const done = aPayment({ status: 'completed' });
      await store.begin(done);
      await store.finish(done, [anEvent('e1', done), anEvent('e2', done)]);
      await expect(
        store.relayBatch(10, async (es) => {
          if (es.some((e) => e.event.id === 'e2')) throw new Error('broker down');
        }),
      ).rejects.toThrow('broker down');
      expect((await store.pending(10)).map((e) => e.event.id)).toEqual(['e1', 'e2']);
      // A second relay meanwhile (another process) skips, or waits and finds nothing: each event goes out once.
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const sent: string[] = [];
      const first = store.relayBatch(10, async (es) => {
        sent.push(...es.map((e) => e.event.id));
        await held;
      });
      await new Promise((r) => setTimeout(r, 50));
      const second = store.relayBatch(10, async (es) => void sent.push(...es.map((e) => `second:${e.event.id}`)));
      setTimeout(release, 50);
      // PostgreSQL: the second finds the outbox held (busy); PGlite runs one transaction at a time.
      const [a, b] = await Promise.all([first, second]);
      expect(a).toBe(2);
      expect([0, 'busy']).toContain(b);
      expect(sent).toEqual(['e1', 'e2']);
      expect(await store.pending(10)).toEqual([]);
    });

    it('holds an idempotency key once per user', async () => {
      const key = { key: 'k', requestHash: 'h1' };
      expect(await store.begin(aPayment(), key)).toBeUndefined();
      expect(await store.begin(aPayment({ id: 'p2', order_id: 'o2' }), { key: 'k', requestHash: 'h2' })).toEqual({
        payment: aPayment(),
        requestHash: 'h1',
      });
      expect(await store.get('p2')).toBeUndefined();
      expect(await store.begin(aPayment({ id: 'p3', order_id: 'o3', user_id: 'bob' }), key)).toBeUndefined();
      expect(await store.findByKey('alice', 'k')).toEqual({ payment: aPayment(), requestHash: 'h1' });
      expect(await store.findByKey('alice', 'other')).toBeUndefined();
    });

    it('refunds within the amount, with the event in the same write', async () => {
      await store.begin(aPayment());
      await store.finish(aPayment({ status: 'completed' }), []);
      const part = await store.refund({ id: 'p1', amountMinor: 1000, reason: 'r', now }, (p) => anEvent('r1', p));
      expect(part).toMatchObject({
        status: 'partially_refunded',
        refunded: { amount_minor: 1000, currency: 'USD' },
        refund_reason: 'r',
      });
      await expect(
        store.refund({ id: 'p1', amountMinor: 2001, reason: 'r', now }, (p) => anEvent('r2', p)),
      ).rejects.toMatchObject({ code: 'refund_not_allowed' });
      expect(
        (await store.refund({ id: 'p1', amountMinor: 2000, reason: 'r', now }, (p) => anEvent('r3', p))).status,
      ).toBe('refunded');
      expect((await store.pending(10)).map((e) => e.event.id)).toEqual(['r1', 'r3']);
      await expect(
        store.refund({ id: 'nope', amountMinor: 1, reason: 'r', now }, (p) => anEvent('r4', p)),
      ).rejects.toMatchObject({ code: 'not_found' });
    });

    it('refunds once per (consumer, event id), what is left at most, with the event in the same write', async () => {
      await store.begin(aPayment());
      await store.finish(aPayment({ status: 'completed' }), []);
      await store.refund({ id: 'p1', amountMinor: 500, reason: 'manual', now }, (p) => anEvent('r0', p));
      const saga = { id: 'p1', amountMinor: 3000, reason: 'out_of_stock', now };
      const once = await store.refundOnce('c', 'e1', saga, (p, amount) => anEvent(`r1-${amount}`, p));
      expect(once).toMatchObject({
        status: 'refunded',
        refunded: { amount_minor: 3000 },
        refund_reason: 'out_of_stock',
      });
      expect(await store.refundOnce('c', 'e1', saga, (p) => anEvent('r2', p))).toBeUndefined();
      expect(await store.refundOnce('c', 'e2', saga, (p) => anEvent('r3', p))).toMatchObject({
        status: 'refunded',
        refunded: { amount_minor: 3000 },
      });
      expect((await store.pending(10)).map((e) => e.event.id)).toEqual(['r0', 'r1-2500']);
      await expect(store.refundOnce('c', 'e3', { ...saga, id: 'nope' }, (p) => anEvent('r4', p))).rejects.toMatchObject(
        { code: 'not_found' },
      );
    });

    it('refunds once under concurrent deliveries of the same event', async () => {
      await store.begin(aPayment());
      await store.finish(aPayment({ status: 'completed' }), []);
      const saga = { id: 'p1', amountMinor: 3000, reason: 'out_of_stock', now };
      const results = await Promise.all(
        Array.from({ length: 4 }, (_, i) => store.refundOnce('c', 'e1', saga, (p) => anEvent(`r${i}`, p))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.pending(10)).toHaveLength(1);
    });

    it('never refunds more than the amount under concurrent refunds', async () => {
      await store.begin(aPayment());
      await store.finish(aPayment({ status: 'completed' }), []);
      const results = await Promise.allSettled(
        Array.from({ length: 5 }, (_, i) =>
          store.refund({ id: 'p1', amountMinor: 1000, reason: 'r', now }, (p) => anEvent(`c${i}`, p)),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
      expect((await store.get('p1'))?.refunded.amount_minor).toBe(3000);
    });
  });
}
