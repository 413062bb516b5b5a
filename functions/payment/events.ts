import type { OutboxEvent } from '../../platform/events/outbox.ts';
import { loadTopics } from '../events/load-topics.ts';
import type { Payment } from './payment.ts';

/** The builders of the payment events, once protobuf is loaded (load-topics.ts); keyed by payment id. */
export async function paymentEvents() {
  const { cloudEvent } = await loadTopics();
  return {
    /** The `payment-completed` event of a payment. */
    completed: (p: Payment, eventId: string, now: string): OutboxEvent => ({
      topic: 'payment-completed',
      key: p.id,
      event: cloudEvent('payment-completed', {
        id: eventId,
        source: '/shop/process-payment',
        subject: p.id,
        time: now,
        data: {
          payment_id: p.id,
          order_id: p.order_id,
          user_id: p.user_id,
          amount: p.amount,
          items: p.items,
          completed_at: now,
        },
      }),
    }),
    /** The `payment-refunded` event of a refund. */
    refunded: (p: Payment, amountMinor: number, reason: string, eventId: string, now: string): OutboxEvent => ({
      topic: 'payment-refunded',
      key: p.id,
      event: cloudEvent('payment-refunded', {
        id: eventId,
        source: '/shop/refund-payment',
        subject: p.id,
        time: now,
        data: {
          payment_id: p.id,
          order_id: p.order_id,
          user_id: p.user_id,
          amount: { amount_minor: amountMinor, currency: p.amount.currency },
          total_refunded: p.refunded,
          reason,
          refunded_at: now,
        },
      }),
    }),
  };
}
