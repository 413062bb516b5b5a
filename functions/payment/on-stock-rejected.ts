import { ShopError } from '../../platform/errors.ts';
import { defineEventHandler } from '../definitions.ts';
import { stockRejectedData } from '../events/schemas.ts';
import { completeRefund } from './complete-refund.ts';

/** Most refunds the saga makes for one event (each round takes what was released meanwhile). */
const MAX_ROUNDS = 10;

/**
 * The saga's compensation: a paid order that stock could not serve is refunded in full, by the
 * same path as a merchant's refund, under refund ids derived from the event (round 0, 1, …): a
 * redelivered event finds its refunds and never refunds twice, at the shop or the provider. While
 * another refund of the payment is pending, what it holds may yet be released: the event is
 * handed back (unavailable, never dead-lettered for it) and tried again until the payment is
 * refunded in full or nothing is left. The payment shows status "refunded" and the reason.
 */
export default defineEventHandler({
  name: 'payment/on-stock-rejected',
  uses: ['payments', 'provider', 'now', 'newId', 'crash'],
  data: stockRejectedData,
  publishes: ['payment-refunded'],
  handler: (d) => async (data, event, ctx) => {
    const reason = `out_of_stock: product ${data.product_id} had ${data.available}, the order needed ${data.requested}`;
    const fields = { payment_id: data.payment_id, order_id: data.order_id };
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const id = round === 0 ? `${ctx.handler}:${event.id}` : `${ctx.handler}:${event.id}:${round}`;
      const reserved = await d.payments.reserveRefund({
        id,
        paymentId: data.payment_id,
        upTo: true,
        reason,
        now: d.now(),
      });
      if (!reserved) {
        const pending = (await d.payments.refundsOf(data.payment_id)).some((r) => r.status === 'pending');
        if (pending)
          throw new ShopError(
            'unavailable',
            `payment ${data.payment_id} has a refund pending; the rest is refunded once it is settled`,
          );
        return ctx.log.info(fields, 'nothing left to refund of the payment');
      }
      let refund = reserved;
      if (refund.status === 'pending') {
        d.crash('refund.after-reserve');
        // A provider that does not answer throws: the event is tried again, under the same refund id.
        refund = (await completeRefund(d, reserved)).refund;
      }
      if (refund.status === 'failed')
        return ctx.log.error(
          { ...fields, refund_id: refund.id, reason: refund.failure_reason },
          'the payment provider refused the refund',
        );
      ctx.log.info({ ...fields, refund_id: refund.id }, 'payment refunded: the order could not be served');
    }
    ctx.log.error(fields, `the payment is not refunded in full after ${MAX_ROUNDS} refunds`);
  },
});
