import { notFound } from '../../platform/errors.ts';
import { memoryOutbox, type MemoryOutbox } from '../../platform/events/memory-outbox.ts';
import type { Payment } from '../../functions/payment/payment.ts';
import { statusAfterRefund, toReserve } from '../../functions/payment/refund-rules.ts';
import type { KeyedPayment, PaymentStore, RefundRecord } from '../../functions/payment/store.ts';

/**
 * An in-memory payment store writing to an in-memory outbox, for fast tests: the shop never runs
 * on it (PostgreSQL or PGlite do), and it passes the PaymentStore contract suite as they do.
 */
export function memoryPaymentStore(outbox: MemoryOutbox = memoryOutbox()): PaymentStore {
  const payments = new Map<string, Payment>();
  const refunds = new Map<string, RefundRecord>();
  const keys = new Map<string, { paymentId: string; requestHash: string }>();
  const copy = <T>(x: T): T => structuredClone(x);
  const keyed = (userId: string, key: string): KeyedPayment | undefined => {
    const k = keys.get(`${userId}\u0000${key}`);
    return k && { payment: copy(payments.get(k.paymentId)!), requestHash: k.requestHash };
  };
  const stale = <T extends { created_at: string }>(all: Iterable<T>, pending: (x: T) => boolean, before: string) =>
    [...all]
      .filter((x) => pending(x) && x.created_at < before)
      .sort((a, b) => a.created_at.localeCompare(b.created_at));
  return {
    async get(id) {
      const p = payments.get(id);
      return p && copy(p);
    },
    async findByKey(userId, key) {
      return keyed(userId, key);
    },
    async begin(payment, key) {
      if (key) {
        const existing = keyed(payment.user_id, key.key);
        if (existing) return existing;
        keys.set(`${payment.user_id}\u0000${key.key}`, { paymentId: payment.id, requestHash: key.requestHash });
      }
      payments.set(payment.id, copy(payment));
      return undefined;
    },
    async finish(payment, events) {
      const stored = payments.get(payment.id);
      if (stored?.status !== 'pending') return copy(stored ?? payment);
      payments.set(payment.id, copy(payment));
      outbox.add(events);
      return copy(payment);
    },
    async stalePayments(before, limit) {
      return copy(stale(payments.values(), (p) => p.status === 'pending', before).slice(0, limit));
    },
    async reserveRefund(r) {
      const existing = refunds.get(r.id);
      if (existing) return copy(existing);
      const p = payments.get(r.paymentId);
      if (!p) throw notFound('payment', r.paymentId);
      const reserved = [...refunds.values()]
        .filter((x) => x.payment_id === p.id && x.status === 'pending')
        .reduce((sum, x) => sum + x.amount.amount_minor, 0);
      const amount = toReserve(p, reserved, r.amountMinor, r.upTo);
      if (amount === 0) return undefined;
      const refund: RefundRecord = {
        id: r.id,
        payment_id: p.id,
        amount: { amount_minor: amount, currency: p.amount.currency },
        status: 'pending',
        reason: r.reason,
        failure_reason: '',
        request_hash: r.requestHash ?? '',
        created_at: r.now,
      };
      refunds.set(r.id, refund);
      return copy(refund);
    },
    async settleRefund(id, outcome, event) {
      const refund = refunds.get(id);
      if (!refund) throw notFound('refund', id);
      const p = payments.get(refund.payment_id)!;
      if (refund.status === 'pending') {
        if (outcome.refunded) {
          Object.assign(p, {
            status: statusAfterRefund(p, refund.amount.amount_minor),
            refunded: { ...p.refunded, amount_minor: p.refunded.amount_minor + refund.amount.amount_minor },
            refund_reason: refund.reason,
          });
          refund.status = 'succeeded';
          outbox.add([event(copy(p), copy(refund))]);
        } else Object.assign(refund, { status: 'failed', failure_reason: outcome.reason });
      }
      return { payment: copy(p), refund: copy(refund) };
    },
    async getRefund(id) {
      const r = refunds.get(id);
      return r && copy(r);
    },
    async refundsOf(paymentId) {
      return copy([...refunds.values()].filter((r) => r.payment_id === paymentId));
    },
    async staleRefunds(before, limit) {
      return copy(stale(refunds.values(), (r) => r.status === 'pending', before).slice(0, limit));
    },
    async records() {
      return { payments: copy([...payments.values()]), refunds: copy([...refunds.values()]) };
    },
    pending: outbox.pending,
    relayBatch: outbox.relayBatch,
  };
}
