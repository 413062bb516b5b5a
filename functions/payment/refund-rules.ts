import { ShopError } from '../../platform/errors.ts';
import type { Payment, PaymentStatus } from './payment.ts';

const refundableStatus = (p: Payment) => p.status === 'completed' || p.status === 'partially_refunded';

/**
 * How much of payment `p` a new refund reserves, `reserved` being held by refunds still pending:
 * `wanted` (unset: all that is left). Throws `refund_not_allowed` past what is left; with `upTo`
 * (the saga) reserves what is left if less, and 0 when nothing is.
 */
export function toReserve(p: Payment, reserved: number, wanted: number | undefined, upTo = false): number {
  const left = p.amount.amount_minor - p.refunded.amount_minor - reserved;
  if (upTo) return refundableStatus(p) ? Math.min(wanted ?? left, left) : 0;
  if (!refundableStatus(p))
    throw new ShopError(
      'refund_not_allowed',
      `payment ${p.id} is ${p.status}; only completed payments can be refunded`,
    );
  const amount = wanted ?? left;
  if (amount > left || left === 0)
    throw new ShopError(
      'refund_not_allowed',
      `refund of ${amount} exceeds the ${left} left to refund${reserved ? ` (${reserved} is being refunded)` : ''}`,
      'amount_minor',
    );
  return amount;
}

/** The status of `p` once a refund of `amountMinor` has been paid. */
export const statusAfterRefund = (p: Payment, amountMinor: number): PaymentStatus =>
  p.refunded.amount_minor + amountMinor >= p.amount.amount_minor ? 'refunded' : 'partially_refunded';
