import { fromJson, toJson, type DescMessage } from '@bufbuild/protobuf';
import {
  DeadLetterSchema,
  PaymentCompletedSchema,
  PaymentRefundedSchema,
  StockRejectedSchema,
} from '../../gen/shop/events/v1/events_pb.ts';
import type { CloudEvent } from '../../platform/define.ts';
import { activeTraceparent } from '../../platform/tracing.ts';

/** Every topic and the protobuf message its CloudEvents carry as data. */
export const topics = {
  'payment-completed': PaymentCompletedSchema,
  'payment-refunded': PaymentRefundedSchema,
  'stock-rejected': StockRejectedSchema,
  'dead-letters': DeadLetterSchema,
} as const satisfies Record<string, DescMessage>;

/** A topic name. */
export type Topic = keyof typeof topics;

/** Builds a CloudEvent whose data is the canonical protobuf JSON of the topic's message. */
export function cloudEvent(
  topic: Topic,
  init: { id: string; source: string; subject: string; time: string; data: object },
): CloudEvent {
  const schema = topics[topic];
  const traceparent = activeTraceparent();
  return {
    specversion: '1.0',
    id: init.id,
    source: init.source,
    type: schema.typeName,
    subject: init.subject,
    time: init.time,
    datacontenttype: 'application/json',
    // Whoever consumes it continues the trace of what wrote it.
    ...(traceparent ? { traceparent } : {}),
    data: toJson(schema, fromJson(schema, init.data as never)),
  };
}

/** Reads a CloudEvent's data as plain JSON with snake_case names; throws when it is not the topic's type or message. */
export function eventData(topic: Topic, event: CloudEvent): unknown {
  const schema = topics[topic];
  if (event.type !== schema.typeName)
    throw new Error(`type ${JSON.stringify(event.type)} is not the ${topic} type ${schema.typeName}`);
  return toJson(schema, fromJson(schema, event.data as never), { useProtoFieldName: true, alwaysEmitImplicit: true });
}

/** {@link eventData} for any topic name, as the delivery path needs it. */
export const decodeEvent = (topic: string, event: CloudEvent): unknown => eventData(topic as Topic, event);
