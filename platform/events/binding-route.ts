import type { Hono } from 'hono';
import type { CloudEvent } from '../define.ts';
import { ShopError } from '../errors.ts';
import type { RequestVars } from '../http/request-context.ts';
import type { DeliveryOutcome } from './subscribe.ts';

/**
 * Serves an event handler on the route a Dapr input binding calls (`POST /<binding>` with the
 * Kafka value, a CloudEvent, as body), and answers daprd's `OPTIONS` probe. 200 means done;
 * an event that is not valid gets a 400 JSON error.
 */
export function mountBinding(app: Hono<{ Variables: RequestVars }>, binding: string, topic: string, deliver: (e: CloudEvent) => Promise<DeliveryOutcome>): void {
  app.options(`/${binding}`, (c) => c.body(null, 200));
  app.post(`/${binding}`, async (c) => {
    const event = await c.req.json<CloudEvent>().catch(() => undefined);
    if (!event || typeof event !== 'object' || typeof event.id !== 'string') {
      throw new ShopError('invalid_argument', 'body must be a CloudEvent (JSON with "id" and "data")');
    }
    if ((await deliver(event)) === 'invalid') throw new ShopError('invalid_argument', `event ${event.id} is not a valid ${topic} event`);
    return c.json({ status: 'SUCCESS' });
  });
}
