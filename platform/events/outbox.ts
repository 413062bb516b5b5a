import type { Publication } from './bus.ts';

/** An event waiting in the outbox, written in the same transaction as the change it reports (key: e.g. the payment id). */
export type OutboxEvent = Publication;

/** The outbox port, read by the relay. */
export interface Outbox {
  /** The oldest events not yet published, in write order. */
  pending(limit: number): Promise<OutboxEvent[]>;
  /**
   * Publishes up to `limit` of the oldest pending events with one call of `publish`, in write
   * order, and marks them published once it succeeded (a failure leaves them all pending). One
   * relay at a time, across processes: while another holds the outbox, answers `busy` at once.
   * Returns how many were published.
   */
  relayBatch(limit: number, publish: (events: OutboxEvent[]) => Promise<void>): Promise<number | 'busy'>;
}
