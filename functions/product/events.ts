import type { OutboxEvent } from '../../platform/events/outbox.ts';
import type { PaymentCompletedData } from '../events/schemas.ts';
import { loadTopics } from '../events/load-topics.ts';
import type { StockShortage } from './product.ts';

/**
 * The builder of `stock-rejected` events, once protobuf is loaded (load-topics.ts): the event of
 * a paid order that stock cannot serve, keyed by payment id.
 */
export const stockRejectedEvents = async () => {
  const { cloudEvent } = await loadTopics();
  return (paid: PaymentCompletedData, shortage: StockShortage, eventId: string, now: string): OutboxEvent => {
    const data = {
      payment_id: paid.payment_id,
      order_id: paid.order_id,
      user_id: paid.user_id,
      ...shortage,
      rejected_at: now,
    };
    return {
      topic: 'stock-rejected',
      key: paid.payment_id,
      event: cloudEvent('stock-rejected', {
        id: eventId,
        source: '/shop/product/on-payment-completed',
        subject: paid.payment_id,
        time: now,
        data,
      }),
    };
  };
};
