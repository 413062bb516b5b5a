import type { Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ShopError } from '../errors.ts';
import type { RequestVars } from '../http/request-context.ts';
import { unreadableLetter, withDeadLetters, type DeadLetterPolicy, type Deliver } from './dead-letter.ts';
import { decodeDelivery, isKafkaDelivery, kafkaKey } from './decode-delivery.ts';

/** Largest event a binding route reads: Kafka's default largest message (`message.max.bytes`, 1 MiB). */
export const MAX_EVENT_BYTES = 1024 * 1024;

/** Where a binding delivers: its route, its handler, the handler's topic, and the Kafka topic it reads. */
export interface BindingRoute {
  binding: string;
  handler: string;
  topic: string;
  kafkaTopic: string;
}

/**
 * Serves an event handler on the route its events are delivered to (`POST /<binding>`), and
 * answers daprd's `OPTIONS` probe. Deliveries come from a Dapr Kafka input binding (the Kafka
 * value as body, the Kafka metadata as `__topic`, `__partition`, `__offset`, `__key` headers) or
 * a Knative KafkaSource (a CloudEvent in HTTP binary mode), or in structured or binary mode from
 * another caller (`task invoke`). 200 `SUCCESS` means done; a failure (5xx) asks for the delivery
 * again. A message from Kafka (binding or KafkaSource) that can never succeed, or that failed
 * `maxAttempts` times, goes to the dead-letter topic and is acknowledged with 200 `DROP` and the
 * reason: refused, a Dapr binding would redeliver it forever (blocking its partition), and a
 * KafkaSource would drop it (it retries no 4xx but 404, 408, 409 and 429). Other callers get a
 * 400 for an invalid event and the error of a failing one. `caller` decides who may deliver at
 * all (see platform/security/event-caller.ts); the probe reads and changes nothing.
 */
export function mountBinding(app: Hono<{ Variables: RequestVars }>, route: BindingRoute, deliver: Deliver, dead: DeadLetterPolicy, caller: MiddlewareHandler): void {
  const guarded = withDeadLetters(deliver, { topic: route.topic, handler: route.handler, ...dead });
  const deadLetter = async (headers: Headers, payload: string, reason: string) => {
    await dead.send(unreadableLetter({ topic: route.topic, handler: route.handler, key: kafkaKey(headers), payload, reason }));
    dead.log.error({ handler: route.handler, reason }, 'unreadable message dead-lettered');
  };
  // A message from Kafka too large to read is dead-lettered (refusing it would have it redelivered forever, or dropped).
  const tooLarge = bodyLimit({
    maxSize: MAX_EVENT_BYTES,
    onError: async (c) => {
      const reason = `message larger than ${MAX_EVENT_BYTES} bytes`;
      if (!isKafkaDelivery(c.req.raw.headers)) return c.json(new ShopError('payload_too_large', reason).toJSON(), 413);
      await deadLetter(c.req.raw.headers, '', reason);
      return c.json({ status: 'DROP', error: { code: 'payload_too_large', message: reason } });
    },
  });
  app.options(`/${route.binding}`, (c) => c.body(null, 200));
  app.post(`/${route.binding}`, caller, tooLarge, async (c) => {
    const headers = c.req.raw.headers;
    const fromKafka = isKafkaDelivery(headers);
    const delivery = decodeDelivery(headers, await c.req.text(), route.kafkaTopic);
    if ('reason' in delivery && !fromKafka) throw new ShopError('invalid_argument', delivery.reason);
    if ('reason' in delivery) {
      await deadLetter(headers, delivery.payload, delivery.reason);
      return c.json({ status: 'DROP', error: { code: 'invalid_argument', message: delivery.reason } });
    }
    const outcome = fromKafka ? await guarded(delivery.event, { ...delivery.context, payload: delivery.payload }) : await deliver(delivery.event, delivery.context);
    if (!outcome.ok) throw new ShopError('invalid_argument', outcome.reason);
    if (outcome.deadLettered) return c.json({ status: 'DROP', error: { code: 'dead_lettered', message: outcome.deadLettered } });
    return c.json({ status: 'SUCCESS' });
  });
}
