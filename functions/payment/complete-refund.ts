import type { Deps } from '../deps.ts';
import { paymentsByStatus } from '../business-metrics.ts';
import { paymentEvents } from './events.ts';
import type { RefundRecord } from './store.ts';

/** What completing a refund takes. */
export type RefundDeps = Pick<Deps, 'payments' | 'provider' | 'now' | 'newId' | 'crash'>;

/**
 * The second and third steps of a refund reserved by the shop (store.reserveRefund): the provider
 * is asked under the refund's own id (its idempotency key), then the refund is settled with the
 * answer. A provider that does not answer throws and leaves the refund pending: asking again with
 * the same key (a retry, the recovery) pays it at most once.
 */
export async function completeRefund(d: RefundDeps, refund: RefundRecord) {
  const outcome = await d.provider.refund({ key: refund.id, charge: refund.payment_id, amount: refund.amount });
  d.crash('refund.after-provider');
  const now = d.now();
  const { refunded } = await paymentEvents();
  const settled = await d.payments.settleRefund(refund.id, outcome, (p, r) => refunded(p, r, d.newId(), now), now);
  if (outcome.refunded) paymentsByStatus.inc({ status: settled.payment.status });
  return settled;
}
