import type { Log } from '../log.ts';
import type { CloudEvent } from '../define.ts';
import type { EventBus, EventListener } from './bus.ts';

/** Redelivery policy of the in-process bus. */
export interface RetryPolicy {
  attempts: number;
  firstDelayMs: number;
}

/**
 * The in-process bus of the embedded default: each subscriber group has its own queue, consumed
 * in order; a failed delivery is retried with exponential backoff, then logged as dead.
 */
export function memoryBus(log: Log, retry: RetryPolicy = { attempts: 8, firstDelayMs: 50 }): EventBus {
  const groups = new Map<string, { listener: EventListener; queue: CloudEvent[]; running: boolean }[]>();
  let closed = false;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  async function drain(topic: string, group: string, sub: { listener: EventListener; queue: CloudEvent[]; running: boolean }) {
    if (sub.running) return;
    sub.running = true;
    while (sub.queue.length && !closed) {
      const event = sub.queue[0]!;
      for (let attempt = 1; ; attempt++) {
        try {
          await sub.listener(event);
          break;
        } catch (err) {
          if (attempt >= retry.attempts || closed) {
            log.error({ err, topic, group, event_id: event.id, attempts: attempt }, 'event dropped after retries');
            break;
          }
          log.warn({ err, topic, group, event_id: event.id, attempt }, 'event handler failed; retrying');
          await sleep(retry.firstDelayMs * 2 ** (attempt - 1));
        }
      }
      sub.queue.shift();
    }
    sub.running = false;
  }

  return {
    async publish(topic, _key, event) {
      for (const [name, subs] of groups) {
        if (!name.startsWith(`${topic}\u0000`)) continue;
        for (const sub of subs) {
          sub.queue.push(structuredClone(event));
          void drain(topic, name.split('\u0000')[1]!, sub);
        }
      }
    },
    async subscribe(topic, group, listener) {
      const name = `${topic}\u0000${group}`;
      groups.set(name, [...(groups.get(name) ?? []), { listener, queue: [], running: false }]);
    },
    async ready() {
      if (closed) throw new Error('the in-process bus is closed');
    },
    async close() {
      closed = true;
    },
  };
}
