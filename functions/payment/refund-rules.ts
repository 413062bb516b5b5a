import { ShopError } from '../../platform/errors.ts';
import type { Payment, PaymentStatus } from './payment.ts';

/** Checks that `amountMinor` can be refunded from `p`; returns the status after the refund. */
export function statusAfterRefund(p: Payment, amountMinor: number): PaymentStatus {
  if (p.status !== 'completed' && p.status !== 'partially_refunded') {
    throw new ShopError(
      'refund_not_allowed',
      `payment ${p.id} is ${p.status}; only completed payments can be refunded`,
    );
  }
  const left = p.amount.amount_minor - p.refunded.amount_minor;
  if (amountMinor > left)
    throw new ShopError(
      'refund_not_allowed',
      `refund of ${amountMinor} exceeds the ${left} left to refund`,
      'amount_minor',
    );
  return amountMinor === left ? 'refunded' : 'partially_refunded';
}

/** How much of `wanted` can still be refunded from `p`: what is left if less, 0 when it is not refundable. */
export function refundable(p: Payment, wanted: number): number {
  if (p.status !== 'completed' && p.status !== 'partially_refunded') return 0;
  return Math.min(wanted, p.amount.amount_minor - p.refunded.amount_minor);
}
