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
  markPublished(eventIds: string[]): Promise<void>;
}
