import type { Outbox, OutboxEvent } from '../../platform/events/outbox.ts';
import type { Payment } from './payment.ts';

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

/** The payment store port (with its outbox): PGlite or PostgreSQL, or memory for fast tests. */
export interface PaymentStore extends Outbox {
  get(id: string): Promise<Payment | undefined>;
  findByKey(userId: string, key: string): Promise<KeyedPayment | undefined>;
  /**
   * Records a new pending payment. With a key already used by this user, nothing is written and
   * the payment that holds the key is returned instead.
   */
  begin(payment: Payment, key?: IdempotencyKey): Promise<KeyedPayment | undefined>;
  /** Saves a payment's final state and queues its events, in one transaction. */
  finish(payment: Payment, events: OutboxEvent[]): Promise<void>;
  /**
   * Adds a refund to a completed payment and queues the event built from the refunded payment,
   * in one transaction; throws `not_found` or `refund_not_allowed`.
   */
  refund(refund: Refund, event: RefundEvent): Promise<Payment>;
  /**
   * The saga's refund, applied at most once per (consumer, event id), the id recorded in the
   * refund's transaction: refunds `amountMinor` or what is left if less. Answers undefined for
   * an id already applied; a payment with nothing left to refund comes back unchanged.
   * Throws `not_found`.
   */
  refundOnce(consumer: string, eventId: string, refund: Refund, event: RefundEvent): Promise<Payment | undefined>;
}

/** A refund to record. */
export interface Refund {
  id: string;
  amountMinor: number;
  reason: string;
  now: string;
}

/** Builds the event of a refund from the refunded payment and the amount refunded. */
export type RefundEvent = (refunded: Payment, amountMinor: number) => OutboxEvent;
