import { describe, expect, it } from 'vitest';
import type { CloudEvent } from '../../platform/define.ts';
import { paymentCompleted } from '../../test/support/test-events.ts';
import { readDeadLetter } from './dead-letter-queue.ts';
import { deadLetterSink } from './dead-letter-sink.ts';

/** The CloudEvent the sink publishes for a dead letter. */
async function published(letter: Parameters<ReturnType<typeof deadLetterSink>>[0]): Promise<CloudEvent> {
  const sent: CloudEvent[] = [];
  await deadLetterSink(
    { publish: async (_topic, _key, event) => void sent.push(event) },
    () => 'letter-1',
    () => '2026-01-15T10:00:00.000Z',
  )(letter);
  return sent[0]!;
}

const letter = {
  topic: 'stock-rejected',
  handler: 'payment/on-stock-rejected',
  reason: 'failed 5 times, last: payment p1 not found',
  attempts: 5,
  event_id: 'e1',
  key: 'p1',
  payload: '{"id":"e1"}',
};

describe('reading the dead-letter topic', () => {
  it('reads back what the sink wrote, every field', async () => {
    expect(readDeadLetter(JSON.stringify(await published(letter)))).toEqual({
      letter: { ...letter, dead_at: '2026-01-15T10:00:00Z' },
    });
  });

  it("says why a message is no dead letter instead of taking it for one: no CloudEvent, another topic's, data of another shape", async () => {
    const event = await published(letter);
    expect(readDeadLetter('not json')).toEqual({ reason: 'message is not a CloudEvent: not JSON' });
    expect(readDeadLetter(JSON.stringify({ ...event, specversion: '0.3' }))).toEqual({
      reason: 'message is not a CloudEvent: specversion must be "1.0"',
    });
    expect(readDeadLetter(JSON.stringify(paymentCompleted('e2', 'a', [])))).toMatchObject({
      reason: expect.stringMatching(
        /^not a dead letter: type "shop.events.v1.PaymentCompleted" is not the dead-letters type/,
      ),
    });
    expect(
      readDeadLetter(JSON.stringify({ ...event, data: { ...(event.data as object), attempts: 'many' } })),
    ).toMatchObject({ reason: expect.stringMatching(/^not a dead letter: /) });
    expect(readDeadLetter(JSON.stringify({ ...event, data: { topic: 'stock-rejected' } }))).toMatchObject({
      reason: expect.stringMatching(/^not a dead letter: /),
    });
  });
});
