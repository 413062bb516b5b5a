import type { CloudEvent } from '../define.ts';

/** Handles one delivered event; throwing asks for redelivery. */
export type EventListener = (event: CloudEvent) => Promise<void>;

/** The event bus port: in process by default; Kafka or Dapr for real. Delivery is at least once. */
export interface EventBus {
  publish(topic: string, key: string, event: CloudEvent): Promise<void>;
  /** Each group gets every event of the topic once (or more, on redelivery), in order per group. */
  subscribe(topic: string, group: string, listener: EventListener): void;
  close(): Promise<void>;
}
