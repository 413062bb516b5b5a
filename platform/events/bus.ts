import type { CloudEvent } from '../define.ts';

/** Handles one delivered event (with the transport's metadata, e.g. the Kafka key); throwing asks for redelivery. */
export type EventListener = (event: CloudEvent, context?: Record<string, unknown>) => Promise<void>;

/** The event bus port: in process by default; Kafka or Dapr for real. Delivery is at least once. */
export interface EventBus {
  publish(topic: string, key: string, event: CloudEvent): Promise<void>;
  /**
   * Each group gets every event of the topic at least once, in order per key; a listener that
   * throws gets the event again. Resolves once the subscription is live.
   */
  subscribe(topic: string, group: string, listener: EventListener): Promise<void>;
  /** Resolves when the broker (or the sidecar) answers; throws why not (readiness). */
  ready(): Promise<void>;
  close(): Promise<void>;
}
