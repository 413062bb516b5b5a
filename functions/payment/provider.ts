import type { Money } from '../../platform/money.ts';

/** Card details as the provider takes them: the full card goes there and nowhere else. */
interface Card {
  number: string;
  holder: string;
  expiry: string;
  cvv: string;
}

/**
 * A charge: `key` is the payment's own id, its idempotency key. Like Stripe's PaymentIntents
 * (`Idempotency-Key`), the provider charges at most once per key and answers a retry with the
 * first answer; the same key with another amount is refused.
 */
export interface ChargeRequest {
  key: string;
  amount: Money;
  card: Card;
}

/** What the provider answered to a charge. */
export type ChargeResult = { approved: true } | { approved: false; reason: string };

/**
 * A refund of part or all of the charge `charge` (the charge's key): `key` is the refund's own
 * id, never the payment's, so that each partial refund moves money once. The provider refuses a
 * refund above what remains captured, and answers a retry of a key with its first answer.
 */
export interface RefundRequest {
  key: string;
  charge: string;
  amount: Money;
}

/** What the provider answered to a refund; a refusal moved nothing. */
export type RefundResult = { refunded: true } | { refunded: false; reason: string };

/** One entry of the provider's ledger: what it did under a key. */
export interface LedgerEntry {
  key: string;
  kind: 'charge' | 'refund';
  /** A refund's charge (its key); empty for a charge. */
  charge: string;
  amount: Money;
  /** A charge: approved, declined, or voided (closed before any charge); a refund: refunded. */
  outcome: 'approved' | 'declined' | 'voided' | 'refunded';
  reason: string;
}

/** The payment provider port (PSP). A thrown error means the answer is unknown: ask again with the same key. */
export interface PaymentProvider {
  charge(req: ChargeRequest): Promise<ChargeResult>;
  refund(req: RefundRequest): Promise<RefundResult>;
  /**
   * The answer to the charge under `key`, for a payment left pending by a crash; when no charge
   * was made under it, none ever will be (the key is voided, as a PaymentIntent is canceled): a
   * late charge with it is declined.
   */
  closeCharge(key: string): Promise<ChargeResult>;
  /** Every entry of the provider's ledger, for reconciliation. */
  ledger(): Promise<LedgerEntry[]>;
}

/** Test card numbers of the built-in provider. */
export const TEST_CARDS = { approved: '4242424242424242', declined: '4000000000000002' } as const;
