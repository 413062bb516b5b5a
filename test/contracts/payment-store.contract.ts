import { beforeEach, describe, expect, it } from 'vitest';
import { cloudEvent } from '../../functions/events/topics.ts';
import type { OutboxEvent } from '../../platform/events/outbox.ts';
import type { Payment } from '../../functions/payment/payment.ts';
import type { PaymentStore, RefundRecord, RefundReservation } from '../../functions/payment/store.ts';

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
      await store.begin(aPayment());
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

    const paid = async (id = 'p1') => {
      await store.begin(aPayment({ id, order_id: `o-${id}` }));
      await store.finish(aPayment({ id, order_id: `o-${id}`, status: 'completed' }), []);
    };
    const reserve = (id: string, amountMinor?: number, over: Partial<RefundReservation> = {}) =>
      store.reserveRefund({ id, paymentId: 'p1', amountMinor, reason: `why ${id}`, now, ...over });
    const event = (p: Payment, r: RefundRecord) => anEvent(`ev-${r.id}`, p);

    it('settles a pending payment once: a payment settled meanwhile stays as it is, its events not queued', async () => {
      await store.begin(aPayment());
      const failed = await store.finish(aPayment({ status: 'failed', failure_reason: 'voided' }), []);
      expect(failed).toMatchObject({ status: 'failed', failure_reason: 'voided' });
      const done = aPayment({ status: 'completed' });
      expect(await store.finish(done, [anEvent('e1', done)])).toMatchObject({ status: 'failed' });
      expect(await store.pending(10)).toEqual([]);
    });

    it('lists payments and refunds left pending before a time, oldest first', async () => {
      await store.begin(aPayment({ id: 'p2', order_id: 'o2', created_at: '2026-01-31T23:00:00.000Z' }));
      await store.begin(aPayment({ id: 'p3', order_id: 'o3', created_at: '2026-01-31T22:00:00.000Z' }));
      await store.begin(aPayment({ id: 'p4', order_id: 'o4', created_at: now }));
      expect((await store.stalePayments(now, 10)).map((p) => p.id)).toEqual(['p3', 'p2']);
      await paid();
      await reserve('r1', 100, { now: '2026-01-31T00:00:00.000Z' });
      await reserve('r2', 100);
      expect((await store.staleRefunds(now, 10)).map((r) => r.id)).toEqual(['r1']);
    });

    it('reserves refunds within what is left, counting those still pending, and settles each once', async () => {
      await paid();
      expect(await reserve('r1', 1000)).toMatchObject({
        id: 'r1',
        payment_id: 'p1',
        amount: { amount_minor: 1000, currency: 'USD' },
        status: 'pending',
        reason: 'why r1',
      });
      expect(await reserve('r1', 1000)).toMatchObject({ id: 'r1', status: 'pending' });
      await expect(reserve('r2', 2001)).rejects.toMatchObject({ code: 'refund_not_allowed' });
      expect((await reserve('r2'))?.amount.amount_minor).toBe(2000);
      await expect(reserve('r3', 1)).rejects.toMatchObject({ code: 'refund_not_allowed' });
      expect((await store.get('p1'))?.refunded.amount_minor).toBe(0);
      const first = await store.settleRefund('r1', { refunded: true }, event, now);
      expect(first).toMatchObject({
        payment: { status: 'partially_refunded', refunded: { amount_minor: 1000 }, refund_reason: 'why r1' },
        refund: { status: 'succeeded' },
      });
      expect((await store.settleRefund('r1', { refunded: true }, event, now)).payment.refunded.amount_minor).toBe(1000);
      const refused = await store.settleRefund('r2', { refunded: false, reason: 'exceeds' }, event, now);
      expect(refused.refund).toMatchObject({ status: 'failed', failure_reason: 'exceeds' });
      expect(refused.payment.refunded.amount_minor).toBe(1000);
      // The refused reservation is released: what it held can be reserved again.
      expect((await reserve('r4'))?.amount.amount_minor).toBe(2000);
      expect((await store.settleRefund('r4', { refunded: true }, event, now)).payment.status).toBe('refunded');
      expect((await store.pending(10)).map((e) => e.event.id)).toEqual(['ev-r1', 'ev-r4']);
      expect(await store.getRefund('r2')).toMatchObject({ status: 'failed' });
      expect((await store.records()).refunds.map((r) => [r.id, r.status])).toEqual([
        ['r1', 'succeeded'],
        ['r2', 'failed'],
        ['r4', 'succeeded'],
      ]);
    });

    it('reserves up to what is left for the saga, nothing when nothing is or the payment is not paid', async () => {
      await paid();
      await reserve('manual', 500);
      expect((await reserve('saga', 3000, { upTo: true }))?.amount.amount_minor).toBe(2500);
      expect(await reserve('saga-2', 3000, { upTo: true })).toBeUndefined();
      await store.begin(aPayment({ id: 'p2', order_id: 'o2' }));
      expect(await reserve('saga-3', 3000, { upTo: true, paymentId: 'p2' })).toBeUndefined();
      await expect(reserve('r', 1, { paymentId: 'p2' })).rejects.toMatchObject({ code: 'refund_not_allowed' });
      await expect(reserve('r', 1, { paymentId: 'nope' })).rejects.toMatchObject({ code: 'not_found' });
    });

    it('never reserves more than the amount under 20 concurrent refunds, and settles each once', async () => {
      await paid();
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => reserve(`c${i}`, 1000)));
      const reserved = results.flatMap((r) => (r.status === 'fulfilled' && r.value ? [r.value] : []));
      expect(reserved).toHaveLength(3);
      await Promise.all(
        reserved.flatMap((r) => [1, 2].map(() => store.settleRefund(r.id, { refunded: true }, event, now))),
      );
      expect(await store.get('p1')).toMatchObject({ status: 'refunded', refunded: { amount_minor: 3000 } });
      expect(await store.pending(10)).toHaveLength(3);
    });
  });
}
