import type { Log } from '../log.ts';
import { publishInOrder, type EventBus } from './bus.ts';
import type { Outbox } from './outbox.ts';
import { onOutboxWrite } from './outbox-writes.ts';

/** A running relay. */
export interface Relay {
  /** Publishes what is pending now, without waiting for the next tick. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Publishes pending outbox events to the bus in write order, and marks them published; one relay
 * at a time per outbox, however many processes run one. An event is published at least once: a
 * crash between publish and mark republishes it, and consumers ignore ids they have applied.
 */
export function startOutboxRelay(outbox: Outbox, bus: EventBus, log: Log, intervalMs = 100, batch = 100): Relay {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  // While another relay holds the outbox it may have read before our last commit: look again
  // soon (5 ms, doubling up to the poll interval while it stays held), not at the next poll.
  let busyWait = 0;
  let retry: NodeJS.Timeout | undefined;
  const once = async () => {
    for (;;) {
      const published = await outbox.relayBatch(batch, (events) => publishInOrder(bus, events));
      if (published === 'busy') {
        busyWait = Math.min(intervalMs, busyWait ? busyWait * 2 : 5);
        retry ??= setTimeout(() => {
          retry = undefined;
          wake();
        }, busyWait).unref();
        return;
      }
      busyWait = 0;
      if (published < batch) return;
    }
  };
  const flush = () =>
    (running = running.then(once).catch((err) => log.error({ err }, 'outbox relay failed; will retry')));
  // Woken by commits in this process: one pass queued behind the running one covers every
  // write until it starts, so a burst of commits costs one pass, not one each.
  let queued = false;
  const wake = () => {
    if (stopped || queued) return;
    queued = true;
    void running.then(() => {
      queued = false;
      if (!stopped) void flush();
    });
  };
  const unsubscribe = onOutboxWrite(wake);
  const timer = setInterval(() => !stopped && void flush(), intervalMs);
  timer.unref();
  return {
    flush,
    async stop() {
      stopped = true;
      unsubscribe();
      clearInterval(timer);
      clearTimeout(retry);
      await running;
    },
  };
}
