import type { EventHandlerDef } from '../platform/define.ts';
import { withDeadLetters } from '../platform/events/dead-letter.ts';
import { createDelivery } from '../platform/events/subscribe.ts';
import type { Log } from '../platform/log.ts';
import type { Runtime } from './build-runtime.ts';
import { definitionsIn, type Definitions } from './definitions.ts';
import type { Deps } from './deps.ts';
import { decodeEvent } from './events/decode.ts';
import { routes } from './routes.ts';

/**
 * Subscribes the given event handlers to the bus, each in its own consumer group (its name),
 * with bounded retries: what a handler gives up on goes to the dead-letter topic.
 */
export async function subscribeHandlers(defs: Definitions, runtime: Pick<Runtime, 'deps' | 'bus' | 'signer' | 'deadLetters'>, log: Log): Promise<void> {
  for (const [name, def] of definitionsIn(defs)) {
    const route = routes[name];
    if (route.kind !== 'event') continue;
    const deliver = withDeadLetters(createDelivery(def as EventHandlerDef<Deps>, runtime.deps, decodeEvent, runtime.signer, log), { ...runtime.deadLetters, topic: route.topic, handler: name });
    await runtime.bus.subscribe(route.topic, name, async (event, context) => void (await deliver(event, context)));
  }
}
