import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { EVENT_TIME, paymentCompleted, testClock } from '../../test/support/test-events.ts';
import { recordingDeadLetters, testLog } from '../../test/support/test-log.ts';
import type { CloudEvent, EventHandlerDef } from '../define.ts';
import { eventPipeline } from './pipeline.ts';
import { CLOCK_SKEW_MS, outsideReplayWindow, REPLAY_WINDOW_MS } from './replay-window.ts';
import { eventSigner } from './signature.ts';

const signer = eventSigner('replay-window-test-key-0123456789abcdef');
/** An unsigned event written `ms` after the test clock's time (before it when negative). */
const event = (id: string, ms: number) => paymentCompleted(id, 'a', [], new Date(testClock() + ms).toISOString());
const message = (e: CloudEvent) => ({ text: JSON.stringify(e), key: 'k', context: {} });

/** A pipeline on the test clock over a handler that records the ids it applied. */
function pipeline() {
  const dead = recordingDeadLetters(3);
  const applied: string[] = [];
  const def: EventHandlerDef<unknown> = {
    name: 'basket/on-payment-completed',
    needs: ['events'],
    topic: 'payment-completed',
    data: v.looseObject({}),
    handler: () => async (_data, e) => void applied.push(e.id),
  };
  const p = eventPipeline(
    def,
    {},
    { decode: (_topic, e) => e.data, signer, deadLetters: dead, log: testLog, now: testClock },
  );
  return { pipeline: p, applied, dead: dead.sent };
}

describe('the replay window', () => {
  it('applies a signed event written within the window, up to its edges', async () => {
    const p = pipeline();
    for (const [id, ms] of [
      ['now', 0],
      ['oldest', -REPLAY_WINDOW_MS],
      ['ahead', CLOCK_SKEW_MS],
    ] as const)
      expect(await p.pipeline.deliver(message(signer.sign(event(id, ms))))).toEqual({ applied: true });
    expect(p.applied).toEqual(['now', 'oldest', 'ahead']);
    expect(p.dead).toEqual([]);
  });

  it('dead-letters at once, never applied, a signed event older than the window, one dated past the skew, one without a time', async () => {
    const p = pipeline();
    const { time: _, ...undated } = event('undated', 0);
    const events = [
      event('old', -REPLAY_WINDOW_MS - 1),
      event('future', CLOCK_SKEW_MS + 1),
      undated as CloudEvent,
      { ...event('not-rfc3339', 0), time: '15 January 2026 10:00 UTC' },
      { ...event('date-only', 0), time: '2026-01-15' },
    ].map((e) => signer.sign(e));
    for (const e of events)
      expect(await p.pipeline.deliver(message(e))).toMatchObject({ deadLettered: expect.any(String) });
    expect(p.applied).toEqual([]);
    expect(p.dead.map((d) => [d.event_id, d.attempts, d.reason])).toEqual([
      [
        'old',
        1,
        `event old was written at 2026-01-08T09:59:59.999Z, more than 7 days before ${EVENT_TIME}: past the replay window`,
      ],
      [
        'future',
        1,
        `event future is dated 2026-01-15T10:05:00.001Z, more than 5 minutes after ${EVENT_TIME}: from the future`,
      ],
      ['undated', 1, 'event undated has no time it was written at (an RFC 3339 timestamp): none'],
      [
        'not-rfc3339',
        1,
        'event not-rfc3339 has no time it was written at (an RFC 3339 timestamp): "15 January 2026 10:00 UTC"',
      ],
      ['date-only', 1, 'event date-only has no time it was written at (an RFC 3339 timestamp): "2026-01-15"'],
    ]);
  });

  it('refuses a captured old event re-dated into the window: its time is signed, so the signature breaks', async () => {
    const p = pipeline();
    const captured = signer.sign(event('captured', -REPLAY_WINDOW_MS - 60_000));
    const redated = { ...captured, time: EVENT_TIME };
    const resigned = eventSigner('not-the-shops-key-0123456789abcdef0123').sign(redated);
    for (const e of [redated, resigned]) await p.pipeline.deliver(message(e));
    expect(p.applied).toEqual([]);
    expect(p.dead.map((d) => d.reason)).toEqual([
      'event captured does not carry a valid signature of the shop: it was not written by its functions',
      'event captured does not carry a valid signature of the shop: it was not written by its functions',
    ]);
  });

  it('answers a direct caller the same refusal, with no dead letter', async () => {
    const p = pipeline();
    expect(await p.pipeline.once(message(signer.sign(event('old', -REPLAY_WINDOW_MS - 1))))).toEqual({
      refused: expect.stringMatching(/^event old was written at .*: past the replay window$/),
    });
    expect([p.applied, p.dead]).toEqual([[], []]);
  });

  it('reads times with an offset or without a fraction as the instants they name', () => {
    expect(outsideReplayWindow('2026-01-15T11:04:59+01:00', testClock())).toBeUndefined();
    expect(outsideReplayWindow('2026-01-15T11:05:01+01:00', testClock())).toMatch(/from the future$/);
    expect(outsideReplayWindow('2026-01-08T10:00:00Z', testClock())).toBeUndefined();
  });

  it('fails rather than let every event through when the clock reads no time', () => {
    expect(() => outsideReplayWindow(EVENT_TIME, Number.NaN)).toThrow('the clock reads no time (NaN)');
  });
});
