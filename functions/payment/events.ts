import type { OutboxEvent } from '../../platform/events/outbox.ts';
import { cloudEvent } from '../events/topics.ts';
import type { Payment } from './payment.ts';

/** The `payment-completed` event of a payment, keyed by payment id. */
export function paymentCompletedEvent(p: Payment, eventId: string, now: string): OutboxEvent {
  const data = {
    payment_id: p.id,
    order_id: p.order_id,
    user_id: p.user_id,
    amount: p.amount,
    items: p.items,
    completed_at: now,
  };
  return {
    topic: 'payment-completed',
    key: p.id,
    event: cloudEvent('payment-completed', {
      id: eventId,
      source: '/shop/process-payment',
      subject: p.id,
      time: now,
      data,
    }),
  };
}

/** The `payment-refunded` event of a refund, keyed by payment id. */
export function paymentRefundedEvent(
  p: Payment,
  amountMinor: number,
  reason: string,
  eventId: string,
  now: string,
): OutboxEvent {
  const data = {
    payment_id: p.id,
    order_id: p.order_id,
    user_id: p.user_id,
    amount: { amount_minor: amountMinor, currency: p.amount.currency },
    total_refunded: p.refunded,
    reason,
    refunded_at: now,
  };
  return {
    topic: 'payment-refunded',
    key: p.id,
    event: cloudEvent('payment-refunded', {
      id: eventId,
      source: '/shop/refund-payment',
      subject: p.id,
      time: now,
      data,
    }),
  };
}
