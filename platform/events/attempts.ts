import type { CloudEvent } from '../define.ts';
import { ShopError } from '../errors.ts';
import type { Log } from '../log.ts';
import { eventsHandled } from '../metrics.ts';
import type { Message } from './bus.ts';
import type { ReadEvent } from './cloud-event.ts';

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
  /** The message as received. */
  payload: string;
  dead_at: string;
}

/** Sends a dead letter to the dead-letter topic; throws when it could not (the message then comes again). */
export type SendDeadLetter = (d: Omit<DeadLetter, 'dead_at'>) => Promise<void>;

/** Where messages a handler gives up on go, and after how many failed attempts. */
export interface DeadLetterPolicy {
  send: SendDeadLetter;
  /** Attempts at an event whose handler fails before it is dead-lettered (`EVENT_MAX_ATTEMPTS`). */
  maxAttempts: number;
  log: Log;
  /** Wait before the second attempt, doubled before each next one up to {@link MAX_DELAY_MS}; default 100 ms. */
  firstDelayMs?: number;
}

/** The longest wait between two attempts: all attempts happen within one delivery, which a Dapr sidecar gives 5 s. */
const MAX_DELAY_MS = 1_000;

/** One attempt at an event: applied, or refused for good (it can never be applied) and why. A failure throws. */
export type Attempt = { applied: true } | { refused: string };

/** What became of a message: applied, or dead-lettered and why (`unreadable`: it was no event at all). */
export type Delivered = { applied: true } | { deadLettered: string; unreadable: boolean };

/** A dependency being down is no reason to give up on an event: it waits until the dependency is back. */
const isOutage = (err: unknown) => err instanceof ShopError && err.code === 'unavailable';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The one layer that owns attempts and dead letters, over any transport. A message that is no
 * event (`read` has a reason), or an event an attempt refuses (a bad signature, a time outside
 * the replay window, bad data, a handler's `invalid_argument`), is dead-lettered at once. An
 * attempt that fails is made again here, in this delivery, after a backoff, up to
 * `maxAttempts`; the last failure dead-letters the event with its reason. A failure because a dependency is `unavailable` is never counted: it is
 * thrown, and the transport delivers the message again until the dependency is back. Every other
 * answer settles the message (the transport acknowledges it), so no redelivery by daprd or Kafka,
 * and no restart, can loop on an event that keeps failing. A dead letter that cannot be sent
 * throws too: the message is not acknowledged until its letter is kept.
 */
export async function withAttempts(
  o: DeadLetterPolicy & { topic: string; handler: string },
  message: Message,
  read: ReadEvent,
  attempt: (event: CloudEvent) => Promise<Attempt>,
): Promise<Delivered> {
  const deadLetter = async (reason: string, attempts: number, event?: CloudEvent): Promise<Delivered> => {
    const key = message.key ?? event?.subject ?? '';
    await o.send({
      topic: o.topic,
      handler: o.handler,
      reason,
      attempts,
      event_id: event?.id ?? '',
      key,
      payload: message.text,
    });
    o.log.error(
      { handler: o.handler, event_id: event?.id, key, attempts, reason },
      event ? 'event dead-lettered' : 'unreadable message dead-lettered',
    );
    eventsHandled.inc({ handler: o.handler, outcome: 'dead_lettered' });
    return { deadLettered: reason, unreadable: !event };
  };
  if ('reason' in read) return deadLetter(read.reason, 1);
  const { event } = read;
  for (let n = 1; ; n++) {
    let outcome: Attempt;
    try {
      outcome = await attempt(event);
    } catch (err) {
      if (isOutage(err)) throw err;
      if (n >= o.maxAttempts) return deadLetter(`failed ${n} times, last: ${(err as Error).message}`, n, event);
      const delayMs = Math.min((o.firstDelayMs ?? 100) * 2 ** (n - 1), MAX_DELAY_MS);
      o.log.warn(
        { err, handler: o.handler, event_id: event.id, attempt: n, retry_in_ms: delayMs },
        'event handler failed; trying again',
      );
      await sleep(delayMs);
      await message.keepAlive?.();
      continue;
    }
    return 'applied' in outcome ? outcome : deadLetter(outcome.refused, n, event);
  }
}
