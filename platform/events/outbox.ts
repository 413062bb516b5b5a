import type { CloudEvent } from '../define.ts';

/** An event waiting in the outbox, written in the same transaction as the change it reports. */
export interface OutboxEvent {
  topic: string;
  /** Partition key (Kafka key), e.g. the payment id. */
  key: string;
  event: CloudEvent;
}

/** The outbox port, read by the relay. */
export interface Outbox {
  /** The oldest events not yet published, in write order. */
  pending(limit: number): Promise<OutboxEvent[]>;
  /**
   * Publishes up to `limit` of the oldest pending events with `publish`, in write order, and
   * marks them published once all succeeded (a failure leaves them all pending). One relay at a
   * time, across processes: while another holds the outbox, answers 0 at once. Returns how
   * many were published.
   */
  relayBatch(limit: number, publish: (e: OutboxEvent) => Promise<void>): Promise<number>;
}
