import { defineEventHandler } from '../definitions.ts';
import { notFound } from '../../platform/errors.ts';
import { paymentsByStatus } from '../business-metrics.ts';
import { stockRejectedData } from '../events/schemas.ts';
import { paymentEvents } from './events.ts';
import { refundable } from './refund-rules.ts';

/**
 * The saga's compensation: a paid order that stock could not serve is refunded in full, exactly
 * once per event (the event id is recorded with the refund), and `payment-refunded` published.
 * The payment shows status "refunded" and the reason.
 */
export default defineEventHandler({
  name: 'payment/on-stock-rejected',
  uses: ['payments', 'provider', 'now', 'newId'],
  data: stockRejectedData,
  publishes: ['payment-refunded'],
  handler: (d) => async (data, event, ctx) => {
    const payment = await d.payments.get(data.payment_id);
    if (!payment) throw notFound('payment', data.payment_id);
    const amount = refundable(payment, payment.amount.amount_minor);
    const reason = `out_of_stock: product ${data.product_id} had ${data.available}, the order needed ${data.requested}`;
    // The provider refunds at most once per reference, so a redelivered event refunds once.
    if (amount > 0)
      await d.provider.refund({
        reference: `${payment.id}/${event.id}`,
        amount: { amount_minor: amount, currency: payment.amount.currency },
      });
    const now = d.now();
    const { refunded: refundedEvent } = await paymentEvents();
    const refunded = await d.payments.refundOnce(
      ctx.handler,
      event.id,
      { id: payment.id, amountMinor: amount, reason, now },
      (p, a) => refundedEvent(p, a, reason, d.newId(), now),
    );
    if (refunded) paymentsByStatus.inc({ status: refunded.status });
    const fields = { payment_id: payment.id, order_id: payment.order_id, status: refunded?.status };
    ctx.log.info(
      fields,
      refunded ? 'payment refunded: the order could not be served' : 'event already applied to the payment',
    );
  },
});
