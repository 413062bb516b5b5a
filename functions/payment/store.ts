import type { Money } from '../../platform/money.ts';
import type { Outbox, OutboxEvent } from '../../platform/events/outbox.ts';
import type { Payment } from './payment.ts';
import type { RefundResult } from './provider.ts';

/** An idempotency key and the fingerprint of the request that first used it. */
interface IdempotencyKey {
  key: string;
  requestHash: string;
}

/** A payment found by its idempotency key. */
export interface KeyedPayment {
  payment: Payment;
  requestHash: string;
}

/** A refund as the shop records it: reserved (pending), then settled by the provider's answer. */
export interface RefundRecord {
  /** Its own id, and its idempotency key at the provider. */
  id: string;
  payment_id: string;
  amount: Money;
  status: 'pending' | 'succeeded' | 'failed';
  reason: string;
  /** Why the provider refused it, when failed. */
  failure_reason: string;
  /** Fingerprint of the request that reserved it (an admin's Idempotency-Key). */
  request_hash: string;
  created_at: string;
}

/** A refund to reserve. */
export interface RefundReservation {
  id: string;
  paymentId: string;
  /** Minor units; unset: all that is left. */
  amountMinor?: number;
  /** The saga's way: what is left when that is less, and nothing (undefined) when nothing is. */
  upTo?: boolean;
  reason: string;
  requestHash?: string;
  now: string;
}

/** Builds the event of a settled refund from the refunded payment and the refund. */
type RefundEvent = (refunded: Payment, refund: RefundRecord) => OutboxEvent;

/** The payment store port (with its outbox): PGlite or PostgreSQL, or memory for fast tests. */
export interface PaymentStore extends Outbox {
  get(id: string): Promise<Payment | undefined>;
  findByKey(userId: string, key: string): Promise<KeyedPayment | undefined>;
  /**
   * Records a new pending payment. With a key already used by this user, nothing is written and
   * the payment that holds the key is returned instead.
   */
  begin(payment: Payment, key?: IdempotencyKey): Promise<KeyedPayment | undefined>;
  /**
   * Settles a pending payment (completed or failed) and queues its events, in one write; one no
   * longer pending (settled meanwhile by another process) is left as it is, its events not
   * queued. Answers the payment as stored.
   */
  finish(payment: Payment, events: OutboxEvent[]): Promise<Payment>;
  /** Payments still pending that were created before `before`, oldest first. */
  stalePayments(before: string, limit: number): Promise<Payment[]>;
  /**
   * Reserves a refund, pending, in the locked transaction that checks what is left of the payment
   * (its amount less what is refunded and reserved). An id already reserved answers that refund
   * as it stands, changing nothing. Throws `not_found` or `refund_not_allowed`; with `upTo`,
   * answers undefined when nothing is left instead.
   */
  reserveRefund(r: RefundReservation): Promise<RefundRecord | undefined>;
  /**
   * Settles a pending refund with the provider's answer: refunded, it is added to the payment and
   * its event queued, in one transaction; refused, its reservation is released. A refund already
   * settled is left as it is. Answers the payment as stored and the refund.
   */
  settleRefund(
    id: string,
    outcome: RefundResult,
    event: RefundEvent,
    now: string,
  ): Promise<{ payment: Payment; refund: RefundRecord }>;
  getRefund(id: string): Promise<RefundRecord | undefined>;
  /** The refunds of a payment, oldest first. */
  refundsOf(paymentId: string): Promise<RefundRecord[]>;
  /** Refunds still pending that were reserved before `before`, oldest first. */
  staleRefunds(before: string, limit: number): Promise<RefundRecord[]>;
  /** Every payment and every refund the shop records, for reconciliation with the provider's ledger. */
  records(): Promise<{ payments: Payment[]; refunds: RefundRecord[] }>;
}
