import type { Context, Hono } from 'hono';
import * as v from 'valibot';
import type { CloudEvent } from '../define.ts';
import { ShopError } from '../errors.ts';
import type { RequestVars } from '../http/request-context.ts';
import type { DeliveryOutcome } from './subscribe.ts';

/** The CloudEvents envelope a binding delivers; Dapr may add fields (topic, traceid, ...). */
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

/** Where a binding delivers: its route, the handler's topic, and the Kafka topic it reads. */
export interface BindingRoute {
  binding: string;
  topic: string;
  kafkaTopic: string;
}

type Delivery = { event: CloudEvent; context: Record<string, unknown> } | { reason: string };

/** Decodes and validates one delivery: the Kafka headers (when daprd sent them) and the CloudEvent body. */
async function decode(c: Context, route: BindingRoute): Promise<Delivery> {
  const headers = v.safeParse(kafkaHeaders, {
    topic: c.req.header('__topic'),
    partition: c.req.header('__partition'),
    offset: c.req.header('__offset'),
    key: c.req.header('__key'),
    traceparent: c.req.header('traceparent'),
  });
  const context = headers.success ? Object.fromEntries(Object.entries(headers.output).filter(([, x]) => x !== undefined)) : {};
  if (headers.success && headers.output.topic !== route.kafkaTopic) return { reason: `message from topic ${headers.output.topic}, expected ${route.kafkaTopic}` };
  if (!headers.success && c.req.header('__topic') !== undefined) return { reason: headers.issues[0].message };
  const body = await c.req.json<unknown>().catch(() => undefined);
  if (body === undefined) return { reason: 'body must be a CloudEvent in JSON' };
  const event = v.safeParse(envelope, body);
  if (!event.success) return { reason: `body is not a CloudEvent: ${event.issues[0].message}` };
  return { event: event.output as unknown as CloudEvent, context };
}

/**
 * Serves an event handler on the route a Dapr input binding calls (`POST /<binding>`, the Kafka
 * value as body and the Kafka metadata as `__topic`, `__partition`, `__offset`, `__key`
 * headers), and answers daprd's `OPTIONS` probe. 200 `SUCCESS` means done; a failure (5xx)
 * asks daprd to deliver again. An event that can never succeed is not refused with a 4xx when
 * it came from Kafka (it would be redelivered forever and block its partition): it is
 * acknowledged with 200 `DROP` and the reason, and logged. Other callers get a 400.
 */
export function mountBinding(app: Hono<{ Variables: RequestVars }>, route: BindingRoute, deliver: (e: CloudEvent, context: Record<string, unknown>) => Promise<DeliveryOutcome>): void {
  app.options(`/${route.binding}`, (c) => c.body(null, 200));
  app.post(`/${route.binding}`, async (c) => {
    const fromKafka = c.req.header('__topic') !== undefined;
    const delivery = await decode(c, route);
    const outcome = 'reason' in delivery ? { ok: false as const, reason: delivery.reason } : await deliver(delivery.event, delivery.context);
    if (outcome.ok) return c.json({ status: 'SUCCESS' });
    if (!fromKafka) throw new ShopError('invalid_argument', outcome.reason);
    c.get('log').error({ binding: route.binding, reason: outcome.reason }, 'event dropped: it can never be handled');
    return c.json({ status: 'DROP', error: { code: 'invalid_argument', message: outcome.reason } });
  });
}
