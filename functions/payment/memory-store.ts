import { notFound } from '../../platform/errors.ts';
import { memoryOutbox, type MemoryOutbox } from '../../platform/events/memory-outbox.ts';
import type { Payment } from './payment.ts';
import { refundable, statusAfterRefund } from './refund-rules.ts';
import type { KeyedPayment, PaymentStore, Refund, RefundEvent } from './store.ts';

/** An in-memory payment store writing to an in-memory outbox, for fast tests. */
export function memoryPaymentStore(outbox: MemoryOutbox = memoryOutbox()): PaymentStore {
  const payments = new Map<string, Payment>();
  const keys = new Map<string, { paymentId: string; requestHash: string }>();
  const processed = new Set<string>();
  const keyed = (userId: string, key: string): KeyedPayment | undefined => {
    const k = keys.get(`${userId}\u0000${key}`);
    return k && { payment: structuredClone(payments.get(k.paymentId)!), requestHash: k.requestHash };
  };
  const refund = (r: Refund, event: RefundEvent, clamp: boolean) => {
    const p = payments.get(r.id);
    if (!p) throw notFound('payment', r.id);
    const amount = clamp ? refundable(p, r.amountMinor) : r.amountMinor;
    if (amount === 0) return structuredClone(p);
    const status = statusAfterRefund(p, amount);
    Object.assign(p, {
      status,
      refunded: { ...p.refunded, amount_minor: p.refunded.amount_minor + amount },
      refund_reason: r.reason,
    });
    outbox.add([event(structuredClone(p), amount)]);
    return structuredClone(p);
  };
  return {
    async get(id) {
      const p = payments.get(id);
      return p && structuredClone(p);
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
      payments.set(payment.id, structuredClone(payment));
      return undefined;
    },
    async finish(payment, events) {
      payments.set(payment.id, structuredClone(payment));
      outbox.add(events);
    },
    async refund(r, event) {
      return refund(r, event, false);
    },
    async refundOnce(consumer, eventId, r, event) {
      const id = `${consumer}\u0000${eventId}`;
      if (!payments.has(r.id)) throw notFound('payment', r.id);
      if (processed.has(id)) return undefined;
      processed.add(id);
      return refund(r, event, true);
    },
    pending: outbox.pending,
    relayBatch: outbox.relayBatch,
  };
}
