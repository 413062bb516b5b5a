import * as v from 'valibot';
import { requireUser } from '../../platform/auth.ts';
import { defineFunction } from '../definitions.ts';
import { notFound } from '../../platform/errors.ts';
import { idSchema, intSchema, MAX_AMOUNT_MINOR, textSchema } from '../../platform/validation.ts';
import { paymentsByStatus } from '../business-metrics.ts';
import { paymentEvents } from './events.ts';
import { statusAfterRefund } from './refund-rules.ts';

/**
 * Refunds a completed payment, fully (no amount) or partly, for its payer or an admin, and
 * publishes `payment-refunded`.
 */
export default defineFunction({
  name: 'refund-payment',
  uses: ['payments', 'provider', 'now', 'newId'],
  access: 'user',
  publishes: ['payment-refunded'],
  input: v.object({
    id: idSchema,
    amount_minor: v.optional(intSchema(1, MAX_AMOUNT_MINOR)),
    reason: v.optional(textSchema(500, 0), ''),
  }),
  handler:
    (d) =>
    async ({ id, amount_minor, reason }, ctx) => {
      const payment = await d.payments.get(id);
      if (!payment) throw notFound('payment', id);
      requireUser(ctx.caller, payment.user_id);
      const amount = amount_minor ?? payment.amount.amount_minor - payment.refunded.amount_minor;
      statusAfterRefund(payment, amount);
      await d.provider.refund({
        reference: payment.id,
        amount: { amount_minor: amount, currency: payment.amount.currency },
      });
      const now = d.now();
      const { refunded: refundedEvent } = await paymentEvents();
      const refunded = await d.payments.refund({ id, amountMinor: amount, reason, now }, (p) =>
        refundedEvent(p, amount, reason, d.newId(), now),
      );
      paymentsByStatus.inc({ status: refunded.status });
      return refunded;
    },
});
