import type { EventHandlerDef } from '../platform/define.ts';
import type { EventBus } from '../platform/events/bus.ts';
import { createDelivery } from '../platform/events/subscribe.ts';
import type { Log } from '../platform/log.ts';
import type { Deps } from './deps.ts';
import { decodeEvent } from './events/topics.ts';
import { registry } from './registry.ts';
import { routes, type FunctionName } from './routes.ts';

/** Subscribes the named event handlers to the bus, each in its own consumer group (its name). */
export async function subscribeHandlers(names: readonly FunctionName[], deps: Deps, bus: EventBus, log: Log): Promise<void> {
  for (const name of names) {
    const route = routes[name];
    if (route.kind !== 'event') continue;
    const deliver = createDelivery(registry[name] as EventHandlerDef<Deps>, deps, decodeEvent, log);
    await bus.subscribe(route.topic, name, async (event) => void (await deliver(event)));
  }
}
