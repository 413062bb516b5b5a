import * as v from 'valibot';
import type { CloudEvent } from '../define.ts';
import { APP_TOKEN_ATTRIBUTE } from '../security/event-caller.ts';
import { binaryEvent, isBinaryMode } from './binary-event.ts';
import { isKafkaSourceDelivery, KAFKA_RECORD_TYPE, kafkaSourceKey, recordContext } from './kafka-source.ts';

/** The CloudEvents envelope a delivery brings; transports may add fields (Dapr's topic, traceid, ...). */
const envelope = v.looseObject({
  specversion: v.literal('1.0', 'specversion must be "1.0"'),
  id: v.pipe(v.string('id must be a string'), v.minLength(1, 'id must not be empty'), v.maxLength(256, 'id is too long')),
  source: v.string('source must be a string'),
  type: v.string('type must be a string'),
  data: v.record(v.string(), v.unknown(), 'data must be a JSON object'),
});

/** The Kafka metadata daprd's Kafka input binding sends as headers with each message. */
const kafkaHeaders = v.object({
  topic: v.string(),
  partition: v.optional(v.pipe(v.string(), v.regex(/^\d+$/, '__partition must be a number'), v.transform(Number))),
  offset: v.optional(v.pipe(v.string(), v.regex(/^\d+$/, '__offset must be a number'))),
  key: v.optional(v.string()),
  traceparent: v.optional(v.pipe(v.string(), v.regex(/^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/, 'traceparent is not W3C trace context'))),
});

/** One delivery decoded: the event, the transport's metadata and the message as received; or why it is no event. */
export type Delivery = { event: CloudEvent; context: Record<string, unknown>; payload: string } | { reason: string; payload: string };

/** Whether a delivery comes from Kafka: a Dapr binding's (`__topic`) or a KafkaSource's. What can never succeed is then dead-lettered, not refused. */
export const isKafkaDelivery = (headers: Headers): boolean => headers.has('__topic') || isKafkaSourceDelivery(headers);

/** The Kafka key of a delivery (for the dead letter of one that could not be read). */
export const kafkaKey = (headers: Headers): string => headers.get('__key') ?? kafkaSourceKey(headers) ?? '';

const definedOnly = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined));

/**
 * The form the shop writes `time` in (`toISOString`), which its signature covers: a binary-mode
 * sender may have parsed the timestamp and written it anew (the KafkaSource's Java SDK keeps it
 * as an OffsetDateTime), and RFC 3339 has many texts for one instant.
 */
const shopTime = (time: unknown) => (typeof time === 'string' && Number.isFinite(Date.parse(time)) ? new Date(Date.parse(time)).toISOString() : time);

/** The message a delivery carries, as JSON text and the Kafka metadata it names: structured, binary, or a Kafka record a KafkaSource wrapped. */
function message(headers: Headers, body: string): { text: string; context: Record<string, unknown> } | { reason: string } {
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
 * Decodes and validates one delivery to an event route: the Kafka metadata (daprd's `__topic`,
 * ... headers, or what a KafkaSource says of the record it wraps) must name `kafkaTopic`, and the
 * message must be a CloudEvent with JSON object data, in structured mode (the body, as a Dapr
 * binding delivers the Kafka value) or binary mode (`ce-*` headers, as a KafkaSource sends). The
 * app token a KafkaSource presents as an attribute is never part of the event.
 */
export function decodeDelivery(headers: Headers, body: string, kafkaTopic: string): Delivery {
  const dapr = v.safeParse(kafkaHeaders, definedOnly({
    topic: headers.get('__topic') ?? undefined, partition: headers.get('__partition') ?? undefined, offset: headers.get('__offset') ?? undefined,
    key: headers.get('__key') ?? undefined, traceparent: headers.get('traceparent') ?? undefined,
  }));
  if (!dapr.success && headers.has('__topic')) return { reason: dapr.issues[0].message, payload: body };
  const read = message(headers, body);
  if ('reason' in read) return { reason: read.reason, payload: body };
  const context = definedOnly({ ...(dapr.success ? dapr.output : {}), ...read.context });
  if (context.topic !== undefined && context.topic !== kafkaTopic) return { reason: `message from topic ${context.topic}, expected ${kafkaTopic}`, payload: read.text };
  let parsed: unknown;
  try {
    parsed = JSON.parse(read.text);
  } catch {
    return { reason: 'body must be a CloudEvent in JSON', payload: read.text };
  }
  if (parsed && typeof parsed === 'object') delete (parsed as Record<string, unknown>)[APP_TOKEN_ATTRIBUTE];
  const event = v.safeParse(envelope, parsed);
  if (!event.success) return { reason: `body is not a CloudEvent: ${event.issues[0].message}`, payload: read.text };
  return { event: event.output as unknown as CloudEvent, context, payload: read.text };
}
