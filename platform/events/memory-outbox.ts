import type { Outbox, OutboxEvent } from './outbox.ts';
import { outboxWritten } from './outbox-writes.ts';

/** An in-memory outbox that several in-memory stores write to, as SQL stores share one table. */
export interface MemoryOutbox extends Outbox {
  /** Queues events (the caller's change and this are one step: nothing runs in between). */
  add(events: OutboxEvent[]): void;
}

/** An in-memory outbox, for fast tests. */
export function memoryOutbox(): MemoryOutbox {
  const events: (OutboxEvent & { published: boolean })[] = [];
  let relaying = false;
  return {
    add(list) {
      events.push(...list.map((e) => ({ ...structuredClone(e), published: false })));
      outboxWritten();
    },
    async pending(limit) {
      return events
        .filter((e) => !e.published)
        .slice(0, limit)
        .map(({ published: _, ...e }) => structuredClone(e));
    },
    async relayBatch(limit, publish) {
      if (relaying) return 'busy';
      relaying = true;
      try {
        const batch = events.filter((e) => !e.published).slice(0, limit);
        if (batch.length) await publish(batch.map(({ published: _, ...e }) => structuredClone(e)));
        for (const e of batch) e.published = true;
        return batch.length;
      } finally {
        relaying = false;
      }
    },
  };
}
