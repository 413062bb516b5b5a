import type { EventHandlerDef } from '../platform/define.ts';
import type { EventBus } from '../platform/events/bus.ts';
import { createDelivery } from '../platform/events/subscribe.ts';
import type { Log } from '../platform/log.ts';
import { definitionsIn, type Definitions } from './definitions.ts';
import type { Deps } from './deps.ts';
import { decodeEvent } from './events/topics.ts';
import { routes } from './routes.ts';

/** Subscribes the given event handlers to the bus, each in its own consumer group (its name). */
export async function subscribeHandlers(defs: Definitions, deps: Deps, bus: EventBus, log: Log): Promise<void> {
  for (const [name, def] of definitionsIn(defs)) {
    const route = routes[name];
    if (route.kind !== 'event') continue;
    const deliver = createDelivery(def as EventHandlerDef<Deps>, deps, decodeEvent, log);
    await bus.subscribe(route.topic, name, async (event) => void (await deliver(event)));
  }
}
