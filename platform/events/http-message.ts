import * as v from 'valibot';
import { APP_TOKEN_ATTRIBUTE } from '../security/event-caller.ts';
import { binaryEvent, isBinaryMode } from './binary-event.ts';
import type { Message } from './bus.ts';
import { isKafkaSourceDelivery, KAFKA_RECORD_TYPE, kafkaSourceKey, recordContext } from './kafka-source.ts';

/** The Kafka metadata daprd's Kafka input binding sends as headers with each message. */
const kafkaHeaders = v.object({
  topic: v.string(),
  partition: v.optional(v.pipe(v.string(), v.regex(/^\d+$/, '__partition must be a number'), v.transform(Number))),
  offset: v.optional(v.pipe(v.string(), v.regex(/^\d+$/, '__offset must be a number'))),
  key: v.optional(v.string()),
  traceparent: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/, 'traceparent is not W3C trace context'),
    ),
  ),
});

/**
 * Whether a delivery comes from Kafka: a Dapr binding's (`__topic`) or a KafkaSource's. What can
 * never succeed is then dead-lettered, not refused.
 */
export const isKafkaDelivery = (headers: Headers): boolean => headers.has('__topic') || isKafkaSourceDelivery(headers);

/** The Kafka key of a delivery (for the dead letter of one that could not be read). */
export const kafkaKey = (headers: Headers): string => headers.get('__key') ?? kafkaSourceKey(headers) ?? '';

const definedOnly = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined));

/**
 * The form the shop writes `time` in (`toISOString`), which its signature covers: a binary-mode
 * sender may have parsed the timestamp and written it anew (the KafkaSource's Java SDK keeps it
 * as an OffsetDateTime), and RFC 3339 has many texts for one instant.
 */
const shopTime = (time: unknown) =>
  typeof time === 'string' && Number.isFinite(Date.parse(time)) ? new Date(Date.parse(time)).toISOString() : time;

/**
 * The message a delivery carries, as JSON text and the Kafka metadata it names: structured, binary,
 * or a Kafka record a KafkaSource wrapped.
 */
function message(
  headers: Headers,
  body: string,
): { text: string; context: Record<string, unknown> } | { reason: string } {
  if (!isBinaryMode(headers)) return { text: body, context: {} };
  const decoded = binaryEvent(headers, body);
  if ('reason' in decoded) return decoded;
  const { event } = decoded;
  // A record Dapr's pub/sub wrote (no CloudEvent to Kafka's binding): the body is its value, our structured event.
  if (event.type === KAFKA_RECORD_TYPE) return { text: body, context: recordContext(event) };
  // The token never reaches the message's text (what a dead letter keeps).
  delete event[APP_TOKEN_ATTRIBUTE];
  return { text: JSON.stringify({ ...event, time: shopTime(event.time) }), context: {} };
}

/**
 * One HTTP delivery to an event route as the message it carries, for the handler's pipeline to
 * read: the body in structured mode (as a Dapr binding delivers the Kafka value), the event
 * rebuilt from `ce-*` headers in binary mode (as a KafkaSource sends), the value of a Kafka
 * record a KafkaSource wrapped. The Kafka metadata (daprd's `__topic`, ... headers, or what a
 * KafkaSource says of the record it wraps) must be well formed and name `kafkaTopic`, else the
 * message is `unreadable`. The app token a KafkaSource presents as an attribute never becomes
 * part of the message. Whether the text is a CloudEvent is the pipeline's to say (cloud-event.ts).
 */
export function httpMessage(headers: Headers, body: string, kafkaTopic: string): Message {
  const dapr = v.safeParse(
    kafkaHeaders,
    definedOnly({
      topic: headers.get('__topic') ?? undefined,
      partition: headers.get('__partition') ?? undefined,
      offset: headers.get('__offset') ?? undefined,
      key: headers.get('__key') ?? undefined,
      traceparent: headers.get('traceparent') ?? undefined,
    }),
  );
  const unreadable = (text: string, reason: string): Message => ({
    text,
    key: kafkaKey(headers),
    context: {},
    unreadable: reason,
  });
  if (!dapr.success && headers.has('__topic')) return unreadable(body, dapr.issues[0].message);
  const read = message(headers, body);
  if ('reason' in read) return unreadable(body, read.reason);
  const { key, ...context } = definedOnly({ ...(dapr.success ? dapr.output : {}), ...read.context });
  if (context.topic !== undefined && context.topic !== kafkaTopic)
    return unreadable(read.text, `message from topic ${context.topic}, expected ${kafkaTopic}`);
  return { text: read.text, key: typeof key === 'string' ? key : undefined, context };
}
