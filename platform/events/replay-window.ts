const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * How long after the time it was written (its signed `time`) an event may still be applied: 7
 * days, what Kafka keeps a topic's messages. Past it, a captured signed event is refused, so it
 * cannot be replayed once the handlers may have forgotten that they applied it.
 */
export const REPLAY_WINDOW_MS = 7 * DAY_MS;

/**
 * How far ahead of the reader's clock an event's time may be (the writer's clock may run ahead).
 * No more: an event dated later would extend its own window.
 */
export const CLOCK_SKEW_MS = 5 * MINUTE_MS;

/**
 * How long after applying an event a handler may be offered it again and still accept it: who
 * remembers applied event ids (to apply each once) must remember them at least this long.
 */
export const ACCEPTED_AFTER_APPLIED_MS = REPLAY_WINDOW_MS + CLOCK_SKEW_MS;

/** An RFC 3339 timestamp, as CloudEvents' `time` is: date, time, optional fraction, offset. */
const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Why an event whose `time` is this cannot be applied at `now` (ms since the epoch): no time, one
 * that is no RFC 3339 timestamp, older than the window or later than the skew allows; undefined
 * when it is within the window. Worded to follow "event <id> ".
 */
export function outsideReplayWindow(time: unknown, now: number): string | undefined {
  // A clock that reads no time would let every event through: fail instead.
  if (!Number.isFinite(now)) throw new Error(`the clock reads no time (${now}): events cannot be judged`);
  const written = typeof time === 'string' && RFC_3339.test(time) ? Date.parse(time) : Number.NaN;
  if (!Number.isFinite(written))
    return `has no time it was written at (an RFC 3339 timestamp): ${JSON.stringify(time) ?? 'none'}`;
  const at = new Date(now).toISOString();
  if (now - written > REPLAY_WINDOW_MS)
    return `was written at ${time}, more than ${REPLAY_WINDOW_MS / DAY_MS} days before ${at}: past the replay window`;
  if (written - now > CLOCK_SKEW_MS)
    return `is dated ${time}, more than ${CLOCK_SKEW_MS / MINUTE_MS} minutes after ${at}: from the future`;
  return undefined;
}
