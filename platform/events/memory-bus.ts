import type { Log } from '../log.ts';
import type { EventBus, EventListener, Message } from './bus.ts';

/**
 * How soon the in-process bus delivers a message again after its listener threw: doubling from
 * `firstDelayMs`, never over `maxDelayMs`.
 */
export interface Redelivery {
  firstDelayMs: number;
  maxDelayMs: number;
}

interface Subscriber {
  group: string;
  listener: EventListener;
  queue: Message[];
  running: boolean;
}

/**
 * The in-process bus of the embedded default: each subscriber group has its own queue, consumed
 * in order. A message whose listener throws is delivered again, after a backoff that stops
 * growing at `maxDelayMs`, until the listener takes it or the bus is closed; the messages behind
 * it wait. It is never dropped. This redelivery is the transport's at-least-once, not an attempt
 * policy: the pipeline's attempts layer (attempts.ts) decides when to give up on an event, and
 * only throws for what must wait (a dependency that is down).
 */
export function memoryBus(log: Log, redelivery: Redelivery = { firstDelayMs: 50, maxDelayMs: 5_000 }): EventBus {
  /** Each topic's subscribers, in subscription order. */
  const subscribers = new Map<string, Subscriber[]>();
  let closed = false;
  /** Sleepers woken at once by close. */
  const sleeping = new Set<() => void>();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleeping.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleeping.add(wake);
    });

  async function drain(topic: string, sub: Subscriber) {
    if (sub.running) return;
    sub.running = true;
    while (sub.queue.length && !closed) {
      const message = sub.queue[0]!;
      for (let delivery = 1; !closed; delivery++) {
        try {
          await sub.listener(message);
          break;
        } catch (err) {
          const delayMs = Math.min(redelivery.firstDelayMs * 2 ** (delivery - 1), redelivery.maxDelayMs);
          log.warn(
            { err, topic, group: sub.group, key: message.key, delivery, redeliver_in_ms: delayMs },
            'listener failed; the message is delivered again',
          );
          await sleep(delayMs);
        }
      }
      if (!closed) sub.queue.shift();
    }
    sub.running = false;
  }

  return {
    async publish(topic, key, event) {
      const subs = subscribers.get(topic);
      if (!subs) return;
      const text = JSON.stringify(event);
      for (const sub of subs) {
        sub.queue.push({ text, key, context: { topic } });
        void drain(topic, sub);
      }
    },
    async subscribe(topic, group, listener) {
      const sub: Subscriber = { group, listener, queue: [], running: false };
      subscribers.set(topic, [...(subscribers.get(topic) ?? []), sub]);
    },
    async ready() {
      if (closed) throw new Error('the in-process bus is closed');
    },
    async close() {
      closed = true;
      for (const wake of [...sleeping]) wake();
    },
  };
}
