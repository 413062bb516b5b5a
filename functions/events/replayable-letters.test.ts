import { describe, expect, it } from 'vitest';
import { REPLAY_WINDOW_MS } from '../../platform/events/replay-window.ts';
import { testSigner } from '../../test/support/function-app.ts';
import { paymentCompleted, testClock } from '../../test/support/test-events.ts';
import { replayable } from './replayable-letters.ts';

/** A dead letter of `payload`, as a handler gave it up. */
const letter = (event_id: string, payload: string) => ({
  topic: 'payment-completed',
  handler: 'product/on-payment-completed',
  reason: 'failed 5 times, last: bug',
  attempts: 5,
  event_id,
  key: `pay-${event_id}`,
  payload,
  dead_at: '2026-01-15T10:00:00Z',
});
const writtenAt = (id: string, ms: number) =>
  JSON.stringify(testSigner.sign(paymentCompleted(id, 'a', [], new Date(testClock() + ms).toISOString())));

describe('which dead letters a replay could apply', () => {
  it('replays an event within the window; not one past it (the handlers would refuse it again), nor what is no CloudEvent', () => {
    const recent = letter('recent', writtenAt('recent', -REPLAY_WINDOW_MS + 60_000));
    const old = letter('old', writtenAt('old', -REPLAY_WINDOW_MS - 1));
    const garbage = letter('', 'not a cloudevent {');
    expect(replayable([recent, old, garbage], testClock())).toEqual({
      replayable: [recent],
      unreadable: [garbage],
      outside: [
        {
          letter: old,
          reason: expect.stringMatching(
            /^event old was written at 2026-01-08T09:59:59.999Z, .*: past the replay window$/,
          ),
        },
      ],
    });
  });
});
