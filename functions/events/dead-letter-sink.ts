import type { EventBus } from '../../platform/events/bus.ts';
import type { SendDeadLetter } from '../../platform/events/attempts.ts';
import type { NewId } from '../../platform/ids.ts';
import { loadTopics } from './load-topics.ts';

/**
 * Publishes dead letters on the `dead-letters` topic, keyed like the message they hold, straight
 * to the bus: a handler acknowledges the message only after this succeeded.
 */
export function deadLetterSink(bus: Pick<EventBus, 'publish'>, newId: NewId, now: () => string): SendDeadLetter {
  return async (d) => {
    const { cloudEvent } = await loadTopics();
    const time = now();
    const event = cloudEvent('dead-letters', {
      id: newId(),
      source: `/shop/${d.handler}`,
      subject: d.event_id || d.key,
      time,
      data: { ...d, dead_at: time },
    });
    await bus.publish('dead-letters', d.key || d.event_id || 'unreadable', event);
  };
}
