import { createHash } from 'node:crypto';
import * as v from 'valibot';
import { defineFunction } from '../definitions.ts';
import { ShopError } from '../../platform/errors.ts';
import { keyReused, requestFingerprint } from '../../platform/idempotency.ts';
import { bodyWithIdempotencyKey } from '../../platform/rest.ts';
import {
  idSchema,
  intSchema,
  MAX_AMOUNT_MINOR,
  optionalIdempotencyKey,
  textSchema,
} from '../../platform/validation.ts';
import { completeRefund } from './complete-refund.ts';
import type { Payment } from './payment.ts';
import type { RefundRecord } from './store.ts';

/** A keyed refund's own id: the same payment and key always name the same refund. */
const keyedRefundId = (paymentId: string, key: string) =>
  `rk-${createHash('sha256').update(`${paymentId}\u0000${key}`).digest('hex').slice(0, 40)}`;

/** Fingerprint of a refund request, to tell a retry from another request reusing its key. */
const fingerprint = (amount: number | undefined, reason: string) => requestFingerprint([amount ?? 'rest', reason]);

/** The answer to a settled refund: the payment, or the provider's refusal. */
function answer(refund: RefundRecord, payment: Payment | undefined): Payment {
  if (refund.status === 'failed')
    throw new ShopError('refund_not_allowed', `the payment provider refused the refund: ${refund.failure_reason}`);
  return payment!;
}

/**
 * The merchant refunds a completed payment, fully (no amount) or partly, and publishes
 * `payment-refunded`: an admin only (the payer may not take back what they keep). The refund is
 * reserved first, in the locked transaction that checks what is left, then the provider is asked
 * under the refund's own id, then the refund is settled (complete-refund.ts).
 */
export default defineFunction({
  name: 'refund-payment',
  uses: ['payments', 'provider', 'now', 'newId', 'crash'],
  access: 'admin',
  publishes: ['payment-refunded'],
  input: v.object({
    id: idSchema,
    amount_minor: v.optional(intSchema(1, MAX_AMOUNT_MINOR)),
    reason: v.optional(textSchema(500, 0), ''),
    idempotency_key: optionalIdempotencyKey(
      'The same key returns the same refund and refunds once (REST: the Idempotency-Key header).',
    ),
  }),
  restInput: bodyWithIdempotencyKey,
  handler:
    (d) =>
    async ({ id, amount_minor, reason, idempotency_key }) => {
      const requestHash = fingerprint(amount_minor, reason);
      const refund = (await d.payments.reserveRefund({
        id: idempotency_key ? keyedRefundId(id, idempotency_key) : d.newId(),
        paymentId: id,
        amountMinor: amount_minor,
        reason,
        requestHash,
        now: d.now(),
      }))!;
      if (refund.request_hash !== requestHash) throw keyReused();
      if (refund.status !== 'pending') return answer(refund, await d.payments.get(id));
      d.crash('refund.after-reserve');
      const settled = await completeRefund(d, refund).catch((cause) => {
        throw new ShopError(
          'unavailable',
          `the payment provider did not answer; refund ${refund.id} is reserved and will be completed: ${
            idempotency_key ? 'retry with the same Idempotency-Key' : 'read the payment; a new request is a new refund'
          }`,
          undefined,
          { cause },
        );
      });
      return answer(settled.refund, settled.payment);
    },
});
