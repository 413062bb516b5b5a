import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import * as v from 'valibot';
import type { CloudEvent } from '../define.ts';
import { ShopError } from '../errors.ts';
import type { RequestVars } from '../http/request-context.ts';
import { unreadableLetter, withDeadLetters, type DeadLetterPolicy, type Deliver } from './dead-letter.ts';

/** Largest event a binding route reads: Kafka's default largest message (`message.max.bytes`, 1 MiB). */
export const MAX_EVENT_BYTES = 1024 * 1024;

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

/** Where a binding delivers: its route, its handler, the handler's topic, and the Kafka topic it reads. */
export interface BindingRoute {
  binding: string;
  handler: string;
  topic: string;
  kafkaTopic: string;
}

type Delivery = { event: CloudEvent; context: Record<string, unknown>; payload: string } | { reason: string; payload: string };

/** Decodes and validates one delivery: the Kafka headers (when daprd sent them) and the CloudEvent body. */
async function decode(c: Context, route: BindingRoute): Promise<Delivery> {
  const payload = await c.req.text();
  const headers = v.safeParse(kafkaHeaders, {
    topic: c.req.header('__topic'),
    partition: c.req.header('__partition'),
    offset: c.req.header('__offset'),
    key: c.req.header('__key'),
    traceparent: c.req.header('traceparent'),
  });
  const context = headers.success ? Object.fromEntries(Object.entries(headers.output).filter(([, x]) => x !== undefined)) : {};
  if (headers.success && headers.output.topic !== route.kafkaTopic) return { reason: `message from topic ${headers.output.topic}, expected ${route.kafkaTopic}`, payload };
  if (!headers.success && c.req.header('__topic') !== undefined) return { reason: headers.issues[0].message, payload };
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return { reason: 'body must be a CloudEvent in JSON', payload };
  }
  const event = v.safeParse(envelope, body);
  if (!event.success) return { reason: `body is not a CloudEvent: ${event.issues[0].message}`, payload };
  return { event: event.output as unknown as CloudEvent, context, payload };
}

/**
 * Serves an event handler on the route a Dapr input binding calls (`POST /<binding>`, the Kafka
 * value as body and the Kafka metadata as `__topic`, `__partition`, `__offset`, `__key`
 * headers), and answers daprd's `OPTIONS` probe. 200 `SUCCESS` means done; a failure (5xx)
 * asks daprd to deliver again. A message from Kafka that can never succeed, or that failed
 * `maxAttempts` times, goes to the dead-letter topic and is acknowledged with 200 `DROP` and
 * the reason (refusing it would have it redelivered forever, blocking its partition). Other
 * callers (`task invoke`) get a 400 for an invalid event and the error of a failing one.
 * `caller` decides who may deliver at all (see platform/security/event-caller.ts); the probe
 * reads and changes nothing.
 */
export function mountBinding(app: Hono<{ Variables: RequestVars }>, route: BindingRoute, deliver: Deliver, dead: DeadLetterPolicy, caller: MiddlewareHandler): void {
  const guarded = withDeadLetters(deliver, { topic: route.topic, handler: route.handler, ...dead });
  // A message from Kafka too large to read is dead-lettered (refusing it would have it redelivered forever).
  const tooLarge = bodyLimit({
    maxSize: MAX_EVENT_BYTES,
    onError: async (c) => {
      const reason = `message larger than ${MAX_EVENT_BYTES} bytes`;
      if (c.req.header('__topic') === undefined) return c.json(new ShopError('payload_too_large', reason).toJSON(), 413);
      await dead.send(unreadableLetter({ topic: route.topic, handler: route.handler, key: c.req.header('__key') ?? '', payload: '', reason }));
      dead.log.error({ handler: route.handler, reason }, 'unreadable message dead-lettered');
      return c.json({ status: 'DROP', error: { code: 'payload_too_large', message: reason } });
    },
  });
  app.options(`/${route.binding}`, (c) => c.body(null, 200));
  app.post(`/${route.binding}`, caller, tooLarge, async (c) => {
    const fromKafka = c.req.header('__topic') !== undefined;
    const delivery = await decode(c, route);
    if ('reason' in delivery && !fromKafka) throw new ShopError('invalid_argument', delivery.reason);
    if ('reason' in delivery) {
      await dead.send(unreadableLetter({ topic: route.topic, handler: route.handler, key: c.req.header('__key') ?? '', payload: delivery.payload, reason: delivery.reason }));
      dead.log.error({ handler: route.handler, reason: delivery.reason }, 'unreadable message dead-lettered');
      return c.json({ status: 'DROP', error: { code: 'invalid_argument', message: delivery.reason } });
    }
    const outcome = fromKafka ? await guarded(delivery.event, { ...delivery.context, payload: delivery.payload }) : await deliver(delivery.event, delivery.context);
    if (!outcome.ok) throw new ShopError('invalid_argument', outcome.reason);
    if (outcome.deadLettered) return c.json({ status: 'DROP', error: { code: 'dead_lettered', message: outcome.deadLettered } });
    return c.json({ status: 'SUCCESS' });
  });
}
