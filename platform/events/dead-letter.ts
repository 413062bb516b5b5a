import type { CloudEvent } from '../define.ts';
import { ShopError } from '../errors.ts';
import type { Log } from '../log.ts';
import { eventsHandled } from '../metrics.ts';
import type { DeliveryOutcome } from './subscribe.ts';

/** A message a handler gave up on, as the `dead-letters` topic carries it. */
export interface DeadLetter {
  /** The topic the message was read from (without the run's prefix). */
  topic: string;
  /** The handler (consumer group) that gave up. */
  handler: string;
  reason: string;
  attempts: number;
  /** The CloudEvent's id; empty when the message was not one. */
  event_id: string;
  key: string;
  /** The message value as received. */
  payload: string;
  dead_at: string;
}

/** Sends a dead letter to the dead-letter topic; throws when it could not (the message then stays). */
export type SendDeadLetter = (d: Omit<DeadLetter, 'dead_at'>) => Promise<void>;

/** The dead letter of a message that is no valid event: given up on at once, with no event id. */
export const unreadableLetter = (m: Pick<DeadLetter, 'topic' | 'handler' | 'key' | 'payload' | 'reason'>): Omit<DeadLetter, 'dead_at'> => ({
  ...m,
  attempts: 1,
  event_id: '',
});

/** Where messages a handler gives up on go, and after how many failures. */
export interface DeadLetterPolicy {
  send: SendDeadLetter;
  maxAttempts: number;
  log: Log;
}

/**
 * Delivers one event to a handler; `context` carries the transport's metadata (Kafka key, ...)
 * and, for {@link withDeadLetters}, the message as received (`payload`).
 */
export type Deliver = (event: CloudEvent, context?: Record<string, unknown>) => Promise<DeliveryOutcome>;

/** A dependency being down is no reason to give up on a message: it waits until it is back. */
const isOutage = (err: unknown) => err instanceof ShopError && err.code === 'unavailable';

/** How many failure counts a handler keeps (oldest forgotten first). */
const MAX_TRACKED = 10_000;

/**
 * Bounded retries for a handler over any at-least-once transport: a message that is no valid
 * event goes to the dead-letter topic at once; one whose handler fails goes there on its
 * `maxAttempts`-th failure (counted per event id in this process; the transport redelivers in
 * between), with the reason. A failure because a dependency is unavailable is never counted:
 * the message is redelivered until the dependency is back. Answers `{ ok: true }` once the
 * message is done with (handled or dead-lettered) and throws to ask for redelivery.
 */
export function withDeadLetters(deliver: Deliver, o: DeadLetterPolicy & { topic: string; handler: string }): Deliver {
  const failures = new Map<string, number>();
  return async (event, { payload, ...context } = {}) => {
    let outcome: DeliveryOutcome;
    let attempts = 1;
    try {
      outcome = await deliver(event, context);
    } catch (err) {
      if (isOutage(err)) throw err;
      attempts = (failures.get(event.id) ?? 0) + 1;
      failures.delete(event.id);
      if (attempts < o.maxAttempts) {
        failures.set(event.id, attempts);
        if (failures.size > MAX_TRACKED) failures.delete(failures.keys().next().value!);
        throw err;
      }
      outcome = { ok: false, reason: `failed ${attempts} times, last: ${(err as Error).message}` };
    }
    if (outcome.ok) {
      failures.delete(event.id);
      return outcome;
    }
    const key = typeof context.key === 'string' ? context.key : (event.subject ?? '');
    await o.send({ topic: o.topic, handler: o.handler, reason: outcome.reason, attempts, event_id: event.id, key, payload: typeof payload === 'string' ? payload : JSON.stringify(event) });
    o.log.error({ handler: o.handler, event_id: event.id, attempts, reason: outcome.reason }, 'event dead-lettered');
    eventsHandled.inc({ handler: o.handler, outcome: 'dead_lettered' });
    return { ok: true, deadLettered: outcome.reason };
  };
}
