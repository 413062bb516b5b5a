import { describe, expect, it, vi } from 'vitest';
import { recordingDeadLetters } from '../../test/support/test-log.ts';
import type { CloudEvent } from '../define.ts';
import { ShopError } from '../errors.ts';
import { withAttempts, type Attempt } from './attempts.ts';
import type { Message } from './bus.ts';
import { readCloudEvent } from './cloud-event.ts';

const event: CloudEvent = {
  specversion: '1.0',
  id: 'e1',
  source: '/t',
  type: 't',
  subject: 'pay-1',
  time: '2026-01-01T00:00:00Z',
  datacontenttype: 'application/json',
  data: {},
};
const where = { topic: 'payment-completed', handler: 'h' };

/** A message carrying `event`, counting how often it was kept alive between attempts. */
function message(over: Partial<Message> = {}): Message & { keptAlive: number } {
  const m = { text: JSON.stringify(event), key: 'k1', context: {}, keptAlive: 0, ...over };
  return Object.assign(m, { keepAlive: async () => void m.keptAlive++ });
}

/** An attempt that does what `results` say, in turn (an Error is thrown), and counts its calls. */
function attempts(...results: (Attempt | Error)[]) {
  const calls: string[] = [];
  const attempt = async (e: CloudEvent): Promise<Attempt> => {
    calls.push(e.id);
    const result = results[Math.min(calls.length, results.length) - 1]!;
    if (result instanceof Error) throw result;
    return result;
  };
  return { attempt, calls };
}

describe('the attempts layer', () => {
  it('applies an event in one attempt when it succeeds', async () => {
    const dead = recordingDeadLetters(5);
    const a = attempts({ applied: true });
    const m = message();
    expect(await withAttempts({ ...dead, ...where }, m, readCloudEvent(m.text), a.attempt)).toEqual({ applied: true });
    expect(a.calls).toEqual(['e1']);
    expect(dead.sent).toEqual([]);
  });

  it('dead-letters a message that is no event at once, as received, without an attempt', async () => {
    const dead = recordingDeadLetters(5);
    const a = attempts({ applied: true });
    const m = message({ text: '{"half' });
    expect(await withAttempts({ ...dead, ...where }, m, readCloudEvent(m.text), a.attempt)).toEqual({
      deadLettered: 'message is not a CloudEvent: not JSON',
      unreadable: true,
    });
    expect(a.calls).toEqual([]);
    expect(dead.sent).toEqual([
      {
        ...where,
        reason: 'message is not a CloudEvent: not JSON',
        attempts: 1,
        event_id: '',
        key: 'k1',
        payload: '{"half',
      },
    ]);
  });

  it('dead-letters an event an attempt refuses at once, never trying it again', async () => {
    const dead = recordingDeadLetters(5);
    const a = attempts({ refused: 'event e1 is not a valid payment-completed event' });
    const m = message();
    expect(await withAttempts({ ...dead, ...where }, m, readCloudEvent(m.text), a.attempt)).toEqual({
      deadLettered: 'event e1 is not a valid payment-completed event',
      unreadable: false,
    });
    expect(a.calls).toHaveLength(1);
    expect(dead.sent).toEqual([
      {
        ...where,
        reason: 'event e1 is not a valid payment-completed event',
        attempts: 1,
        event_id: 'e1',
        key: 'k1',
        payload: m.text,
      },
    ]);
  });

  it('tries a failing event again in this delivery, keeping the delivery alive, and dead-letters it with the last reason on the last attempt', async () => {
    const dead = recordingDeadLetters(4);
    const a = attempts(new Error('first'), new Error('second'), new Error('third'), new Error('fourth'));
    const m = message();
    expect(await withAttempts({ ...dead, ...where }, m, readCloudEvent(m.text), a.attempt)).toEqual({
      deadLettered: 'failed 4 times, last: fourth',
      unreadable: false,
    });
    expect(a.calls).toHaveLength(4);
    expect(m.keptAlive).toBe(3);
    expect(dead.sent).toEqual([
      { ...where, reason: 'failed 4 times, last: fourth', attempts: 4, event_id: 'e1', key: 'k1', payload: m.text },
    ]);
  });

  it('applies an event that succeeds before its attempts are spent, with no dead letter', async () => {
    const dead = recordingDeadLetters(3);
    const a = attempts(new Error('not yet'), new Error('not yet'), { applied: true });
    const m = message();
    expect(await withAttempts({ ...dead, ...where }, m, readCloudEvent(m.text), a.attempt)).toEqual({ applied: true });
    expect(a.calls).toHaveLength(3);
    expect(dead.sent).toEqual([]);
  });

  it('never counts an unavailable dependency: throws it to the transport at once, however often, and counts afresh in the next delivery', async () => {
    const dead = recordingDeadLetters(3);
    const down = new ShopError('unavailable', 'the database is unavailable');
    for (let delivery = 0; delivery < 10; delivery++) {
      const a = attempts(down);
      const m = message();
      await expect(withAttempts({ ...dead, ...where }, m, readCloudEvent(m.text), a.attempt)).rejects.toBe(down);
      expect(a.calls).toHaveLength(1);
    }
    // A failure, then the dependency goes down: thrown, not dead-lettered.
    const a = attempts(new Error('bug'), down);
    const m = message();
    await expect(withAttempts({ ...dead, ...where }, m, readCloudEvent(m.text), a.attempt)).rejects.toBe(down);
    expect(dead.sent).toEqual([]);
    // Back: the attempts start from one.
    const back = attempts(new Error('bug'), new Error('bug'), { applied: true });
    expect(await withAttempts({ ...dead, ...where }, m, readCloudEvent(m.text), back.attempt)).toEqual({
      applied: true,
    });
  });

  it('throws when the dead letter cannot be sent: the message is not settled until its letter is kept', async () => {
    const dead = recordingDeadLetters(1);
    const m = message();
    const send = async () => {
      throw new ShopError('unavailable', 'the event broker is unavailable');
    };
    await expect(
      withAttempts({ ...dead, send, ...where }, m, readCloudEvent(m.text), attempts(new Error('bug')).attempt),
    ).rejects.toThrow('the event broker is unavailable');
  });

  it("keys a dead letter like the message, else by the event's subject", async () => {
    const dead = recordingDeadLetters(1);
    const m = message({ key: undefined });
    await withAttempts({ ...dead, ...where }, m, readCloudEvent(m.text), attempts({ refused: 'no' }).attempt);
    expect(dead.sent.map((d) => d.key)).toEqual(['pay-1']);
  });

  it('waits longer before each next attempt', async () => {
    // The timers faked: each wait is exactly the one asked for.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const dead = recordingDeadLetters(4);
      const at: number[] = [];
      const attempt = async (): Promise<Attempt> => {
        at.push(Date.now());
        throw new Error('bug');
      };
      const m = message();
      const done = withAttempts({ ...dead, firstDelayMs: 20, ...where }, m, readCloudEvent(m.text), attempt);
      await vi.runAllTimersAsync();
      await done;
      expect(at.slice(1).map((t, i) => t - at[i]!)).toEqual([20, 40, 80]);
    } finally {
      vi.useRealTimers();
    }
  });
});
