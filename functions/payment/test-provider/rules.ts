import type { ChargeRequest, ChargeResult, LedgerEntry, RefundRequest, RefundResult } from '../provider.ts';
import { TEST_CARDS } from '../provider.ts';

/**
 * The rules of the built-in test provider, the same for its memory and SQL ledgers: what a real
 * PSP refuses, it refuses.
 */

/** The entry a new charge writes: the declined test card is declined, any other valid card approved. */
export const chargeEntry = (req: ChargeRequest): LedgerEntry => ({
  key: req.key,
  kind: 'charge',
  charge: '',
  amount: req.amount,
  ...(req.card.number === TEST_CARDS.declined
    ? { outcome: 'declined', reason: 'card_declined' }
    : { outcome: 'approved', reason: '' }),
});

/** The entry that voids a charge key no charge was made under. */
export const voidEntry = (key: string): LedgerEntry => ({
  key,
  kind: 'charge',
  charge: '',
  amount: { amount_minor: 0, currency: '' },
  outcome: 'voided',
  reason: 'voided',
});

/** A charge key's answer. */
export const chargeResult = (e: LedgerEntry): ChargeResult =>
  e.outcome === 'approved' ? { approved: true } : { approved: false, reason: e.reason };

/** The provider's error for a key reused with other parameters (Stripe: idempotency_error). */
class IdempotencyMismatch extends Error {
  constructor(key: string) {
    super(`the payment provider refused key ${key}: it was used with other parameters`);
    this.name = 'IdempotencyMismatch';
  }
}

/** The answer to a charge whose key is already in the ledger: the first answer, if it was the same request. */
export function replayCharge(existing: LedgerEntry, req: ChargeRequest): ChargeResult {
  if (existing.outcome === 'voided') return chargeResult(existing);
  if (existing.kind !== 'charge' || !sameMoney(existing, req)) throw new IdempotencyMismatch(req.key);
  return chargeResult(existing);
}

/** The answer to a refund whose key is already in the ledger: refunded, if it was the same request. */
export function replayRefund(existing: LedgerEntry, req: RefundRequest): RefundResult {
  if (existing.kind !== 'refund' || existing.charge !== req.charge || !sameMoney(existing, req))
    throw new IdempotencyMismatch(req.key);
  return { refunded: true };
}

/**
 * Whether a new refund may be paid from `charge` (its entry, if any) of which `refunded` was
 * already refunded; a refusal moves nothing and is not kept (a retry is judged again).
 */
export function refundRefusal(
  charge: LedgerEntry | undefined,
  refunded: number,
  req: RefundRequest,
): string | undefined {
  if (charge?.kind !== 'charge') return `no charge ${req.charge}`;
  if (charge.outcome !== 'approved') return `charge ${req.charge} was not captured (${charge.outcome})`;
  if (req.amount.currency !== charge.amount.currency) return `charge ${req.charge} is in ${charge.amount.currency}`;
  if (!(req.amount.amount_minor > 0)) return 'a refund moves a positive amount';
  const left = charge.amount.amount_minor - refunded;
  if (req.amount.amount_minor > left)
    return `refund of ${req.amount.amount_minor} exceeds the ${left} left captured on charge ${req.charge}`;
  return undefined;
}

/** The entry of a refund paid. */
export const refundEntry = (req: RefundRequest): LedgerEntry => ({
  key: req.key,
  kind: 'refund',
  charge: req.charge,
  amount: req.amount,
  outcome: 'refunded',
  reason: '',
});

const sameMoney = (e: LedgerEntry, req: { amount: { amount_minor: number; currency: string } }) =>
  e.amount.amount_minor === req.amount.amount_minor && e.amount.currency === req.amount.currency;
