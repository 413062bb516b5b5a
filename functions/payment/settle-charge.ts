import type { Deps } from '../deps.ts';
import { paymentsByStatus } from '../business-metrics.ts';
import { paymentEvents } from './events.ts';
import type { Payment } from './payment.ts';
import type { ChargeResult } from './provider.ts';

/**
 * Settles a pending payment with the provider's answer to its charge: completed with its
 * `payment-completed` event, or failed with the reason, in one write. A payment settled meanwhile
 * by another process (the recovery, a replica) stays as it is: answers the payment as stored.
 */
export async function settleCharge(
  d: Pick<Deps, 'payments' | 'now' | 'newId'>,
  pending: Payment,
  charge: ChargeResult,
): Promise<Payment> {
  const done: Payment = charge.approved
    ? { ...pending, status: 'completed' }
    : { ...pending, status: 'failed', failure_reason: charge.reason };
  const events = done.status === 'completed' ? [(await paymentEvents()).completed(done, d.newId(), d.now())] : [];
  const stored = await d.payments.finish(done, events);
  if (stored.status === done.status) paymentsByStatus.inc({ status: done.status });
  return stored;
}
