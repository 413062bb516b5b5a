import { APP_TOKEN_ATTRIBUTE } from '../security/event-caller.ts';

/**
 * The type a Knative KafkaSource gives a Kafka record that is no CloudEvent in Kafka's binding
 * (no `content-type: application/cloudevents+json` or `ce_specversion` header, as Dapr's pub/sub
 * writes them): the record's value is the event's data, its key the `key` attribute, and its id
 * `partition:<p>/offset:<o>`, its source `/apis/v1/namespaces/<ns>/kafkasources/<name>#<topic>`.
 */
export const KAFKA_RECORD_TYPE = 'dev.knative.kafka.event';

/**
 * Whether a delivery comes from a KafkaSource: it presents the app token as the CloudEvent
 * attribute its `ceOverrides` set (`ce-apptoken`), or wraps a Kafka record. Like a delivery
 * from a Dapr binding, what it brings that can never succeed is then dead-lettered and
 * acknowledged, not refused.
 */
export const isKafkaSourceDelivery = (headers: Headers): boolean =>
  headers.has(`ce-${APP_TOKEN_ATTRIBUTE}`) || headers.get('ce-type') === KAFKA_RECORD_TYPE;

/** The Kafka key a KafkaSource delivery names (the wrapped record's `key`, or Kafka's partition key extension). */
export const kafkaSourceKey = (headers: Headers): string | undefined =>
  headers.get('ce-key') ?? headers.get('ce-partitionkey') ?? undefined;

/**
 * The Kafka metadata of a record a KafkaSource wrapped, from its attributes (what a Dapr binding
 * sends as `__topic`, ...); unknown ones undefined.
 */
export function recordContext(event: Record<string, unknown>): Record<string, unknown> {
  const at = /^partition:(\d+)\/offset:(\d+)$/.exec(String(event.id));
  return {
    topic: /#(.+)$/.exec(String(event.source))?.[1],
    partition: at ? Number(at[1]) : undefined,
    offset: at?.[2],
    key: event.key,
  };
}
