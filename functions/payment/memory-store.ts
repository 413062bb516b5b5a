import { notFound } from '../../platform/errors.ts';
import type { OutboxEvent } from '../../platform/events/outbox.ts';
import type { Payment } from './payment.ts';
import { statusAfterRefund } from './refund-rules.ts';
import type { KeyedPayment, PaymentStore } from './store.ts';

/** An in-memory payment store with its outbox, for fast tests. */
export function memoryPaymentStore(): PaymentStore {
  const payments = new Map<string, Payment>();
  const keys = new Map<string, { paymentId: string; requestHash: string }>();
  const outbox: (OutboxEvent & { published: boolean })[] = [];
  let relaying = false;
  const keyed = (userId: string, key: string): KeyedPayment | undefined => {
    const k = keys.get(`${userId}\u0000${key}`);
    return k && { payment: structuredClone(payments.get(k.paymentId)!), requestHash: k.requestHash };
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
      outbox.push(...events.map((e) => ({ ...structuredClone(e), published: false })));
    },
    async refund(id, amountMinor, now, event) {
      const p = payments.get(id);
      if (!p) throw notFound('payment', id);
      const status = statusAfterRefund(p, amountMinor);
      Object.assign(p, { status, refunded: { ...p.refunded, amount_minor: p.refunded.amount_minor + amountMinor } });
      outbox.push({ ...event(structuredClone(p)), published: false });
      return structuredClone(p);
    },
    async pending(limit) {
      return outbox.filter((e) => !e.published).slice(0, limit).map(({ published: _, ...e }) => structuredClone(e));
    },
    async relayBatch(limit, publish) {
      if (relaying) return 0;
      relaying = true;
      try {
        const batch = outbox.filter((e) => !e.published).slice(0, limit);
        for (const { published: _, ...e } of batch) await publish(structuredClone(e));
        for (const e of batch) e.published = true;
        return batch.length;
      } finally {
        relaying = false;
      }
    },
  };
}
