import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ShopError } from '../errors.ts';
import type { RequestVars } from '../http/request-context.ts';
import type { Delivered } from './attempts.ts';
import { httpMessage, isKafkaDelivery, kafkaKey } from './http-message.ts';
import type { EventPipeline } from './pipeline.ts';

/** Largest event a binding route reads: Kafka's default largest message (`message.max.bytes`, 1 MiB). */
export const MAX_EVENT_BYTES = 1024 * 1024;

/** Where a binding delivers (its route), and the Kafka topic it reads (with the run's prefix). */
export interface BindingRoute {
  binding: string;
  kafkaTopic: string;
}

/**
 * Serves an event handler on the route its events are delivered to (`POST /<binding>`), and
 * answers daprd's `OPTIONS` probe. Deliveries come from a Dapr Kafka input binding (the Kafka
 * value as body, the Kafka metadata as `__topic`, `__partition`, `__offset`, `__key` headers) or
 * a Knative KafkaSource (a CloudEvent in HTTP binary mode), or in structured or binary mode from
 * another caller (`task invoke`). The route only translates: the delivery into a message
 * (http-message.ts), given to the handler's pipeline, and what became of it back into HTTP.
 * From Kafka (binding or KafkaSource) the pipeline owns attempts and dead letters: 200 `SUCCESS`
 * when applied, 200 `DROP` with the reason when dead-lettered (refused, a Dapr binding would
 * redeliver it forever, blocking its partition, and a KafkaSource would drop it: it retries no
 * 4xx but 404, 408, 409 and 429), an error (5xx) to have it delivered again. Other callers get one
 * attempt: 200 `SUCCESS`, a 400 for an invalid event and the error of a failing one. `caller`
 * decides who may deliver at all (see platform/security/event-caller.ts); the probe reads and
 * changes nothing.
 */
export function mountBinding(
  app: Hono<{ Variables: RequestVars }>,
  route: BindingRoute,
  pipeline: EventPipeline,
  caller: MiddlewareHandler,
): void {
  const answerKafka = (c: Context, delivered: Delivered, code?: string) => {
    if ('applied' in delivered) return c.json({ status: 'SUCCESS' });
    return c.json({
      status: 'DROP',
      error: {
        code: code ?? (delivered.unreadable ? 'invalid_argument' : 'dead_lettered'),
        message: delivered.deadLettered,
      },
    });
  };
  // A message from Kafka too large to read is dead-lettered (refusing it would have it redelivered
  // forever, or dropped).
  const tooLarge = bodyLimit({
    maxSize: MAX_EVENT_BYTES,
    onError: async (c) => {
      const reason = `message larger than ${MAX_EVENT_BYTES} bytes`;
      if (!isKafkaDelivery(c.req.raw.headers)) return c.json(new ShopError('payload_too_large', reason).toJSON(), 413);
      return answerKafka(
        c,
        await pipeline.deliver({ text: '', key: kafkaKey(c.req.raw.headers), context: {}, unreadable: reason }),
        'payload_too_large',
      );
    },
  });
  app.options(`/${route.binding}`, (c) => c.body(null, 200));
  app.post(`/${route.binding}`, caller, tooLarge, async (c) => {
    const headers = c.req.raw.headers;
    const message = httpMessage(headers, await c.req.text(), route.kafkaTopic);
    if (isKafkaDelivery(headers)) return answerKafka(c, await pipeline.deliver(message));
    const attempt = await pipeline.once(message);
    if ('refused' in attempt) throw new ShopError('invalid_argument', attempt.refused);
    return c.json({ status: 'SUCCESS' });
  });
}
