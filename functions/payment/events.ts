import type { OutboxEvent } from '../../platform/events/outbox.ts';
import { loadTopics } from '../events/load-topics.ts';
import type { Payment } from './payment.ts';
import type { RefundRecord } from './store.ts';

/** The builders of the payment events, once protobuf is loaded (load-topics.ts); keyed by payment id. */
export async function paymentEvents() {
  const { cloudEvent } = await loadTopics();
  /** An event about payment `p`, written by `source`, its data naming the payment, order and user. */
  const about = (
    topic: 'payment-completed' | 'payment-refunded',
    source: string,
    p: Payment,
    eventId: string,
    now: string,
    data: object,
  ): OutboxEvent => ({
    topic,
    key: p.id,
    event: cloudEvent(topic, {
      id: eventId,
      source,
      subject: p.id,
      time: now,
      data: { payment_id: p.id, order_id: p.order_id, user_id: p.user_id, ...data },
    }),
  });
  return {
    /** The `payment-completed` event of a payment. */
    completed: (p: Payment, eventId: string, now: string) =>
      about('payment-completed', '/shop/process-payment', p, eventId, now, {
        amount: p.amount,
        items: p.items,
        completed_at: now,
      }),
    /** The `payment-refunded` event of a refund. */
    refunded: (p: Payment, r: RefundRecord, eventId: string, now: string) =>
      about('payment-refunded', '/shop/refund-payment', p, eventId, now, {
        refund_id: r.id,
        amount: r.amount,
        total_refunded: p.refunded,
        reason: r.reason,
        refunded_at: now,
      }),
  };
}
