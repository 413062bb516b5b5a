import { defineEventHandler } from '../definitions.ts';
import { stockRejectedData } from '../events/schemas.ts';
import { completeRefund } from './complete-refund.ts';

/**
 * The saga's compensation: a paid order that stock could not serve is refunded in full (what is
 * left of it), by the same path as a merchant's refund, under a refund id derived from the event:
 * a redelivered event finds its refund and never refunds twice, at the shop or the provider. The
 * payment shows status "refunded" and the reason; `payment-refunded` is published.
 */
export default defineEventHandler({
  name: 'payment/on-stock-rejected',
  uses: ['payments', 'provider', 'now', 'newId', 'crash'],
  data: stockRejectedData,
  publishes: ['payment-refunded'],
  handler: (d) => async (data, event, ctx) => {
    const reason = `out_of_stock: product ${data.product_id} had ${data.available}, the order needed ${data.requested}`;
    const reserved = await d.payments.reserveRefund({
      id: `${ctx.handler}:${event.id}`,
      paymentId: data.payment_id,
      upTo: true,
      reason,
      now: d.now(),
    });
    const fields = { payment_id: data.payment_id, order_id: data.order_id, refund_id: reserved?.id };
    if (!reserved) return ctx.log.info(fields, 'nothing left to refund of the payment');
    if (reserved.status !== 'pending') return ctx.log.info(fields, 'event already applied to the payment');
    d.crash('refund.after-reserve');
    // A provider that does not answer throws: the event is tried again, under the same refund id.
    const { refund, payment } = await completeRefund(d, reserved);
    if (refund.status === 'failed')
      return ctx.log.error({ ...fields, reason: refund.failure_reason }, 'the payment provider refused the refund');
    ctx.log.info({ ...fields, status: payment.status }, 'payment refunded: the order could not be served');
  },
});
