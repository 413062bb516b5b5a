import type { CloudEvent } from '../define.ts';

/**
 * One message as a transport hands it over, not yet read: what a handler's pipeline
 * (pipeline.ts) starts from, whichever transport brought it.
 */
export interface Message {
  /** The message as received: a structured CloudEvent in JSON, if it is one (cloud-event.ts reads it). */
  text: string;
  /** Its Kafka key (the payment id), when the transport knows it. */
  key?: string;
  /** What the transport knows of it, logged with it: Kafka topic, partition, offset, the writer's `traceparent`. */
  context: Record<string, unknown>;
  /** Set when the transport could not even take the message (too large, metadata of another topic, ...): why. */
  unreadable?: string;
  /**
   * Tells the transport the message is still being worked on (Kafka: a heartbeat, so the group
   * keeps its partition).
   */
  keepAlive?: () => Promise<void>;
}

/** Takes one delivered message; resolving means done with it, throwing asks the transport for it again. */
export type EventListener = (message: Message) => Promise<void>;

/** An event to publish: its topic, its key (Kafka's partition key: events of one key stay in order) and itself. */
export interface Publication {
  topic: string;
  key: string;
  event: CloudEvent;
}

/**
 * The event bus port: in process, Kafka or Dapr. A bus is a plain transport: it delivers each
 * message at least once and redelivers what its listener threw on; attempts and dead letters
 * are not its business (attempts.ts).
 */
export interface EventBus {
  publish(topic: string, key: string, event: CloudEvent): Promise<void>;
  /**
   * Publishes several in their order, in one go (Kafka: one request); all or, on failure, some
   * of them. A bus without it publishes them one by one ({@link publishInOrder}).
   */
  publishAll?(events: readonly Publication[]): Promise<void>;
  /**
   * Each group gets every message of the topic at least once, in order per key; a listener that
   * throws gets the message again, before the next of its key. Resolves once the subscription is live.
   */
  subscribe(topic: string, group: string, listener: EventListener): Promise<void>;
  /** Resolves when the broker (or the sidecar) answers; throws why not (readiness). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** Publishes `events` in their order: in one go where the bus can, else one after another. */
export async function publishInOrder(bus: EventBus, events: readonly Publication[]): Promise<void> {
  if (bus.publishAll) return bus.publishAll(events);
  for (const e of events) await bus.publish(e.topic, e.key, e.event);
}
