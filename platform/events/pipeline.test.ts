import { Kafka, logLevel } from 'kafkajs';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { infraUrls, requireInfra, uniqueName } from '../../test/support/infra.ts';
import { paymentCompleted, testClock } from '../../test/support/test-events.ts';
import { recordingDeadLetters, testLog } from '../../test/support/test-log.ts';
import type { CloudEvent, EventHandlerDef } from '../define.ts';
import { ShopError } from '../errors.ts';
import { createHttpApp } from '../http/create-http-app.ts';
import { eventsHandled } from '../metrics.ts';
import { eventCaller } from '../security/event-caller.ts';
import { mountBinding } from './binding-route.ts';
import { ensureTopics, kafkaBus } from './kafka-bus.ts';
import { memoryBus } from './memory-bus.ts';
import { eventPipeline } from './pipeline.ts';
import { REPLAY_WINDOW_MS } from './replay-window.ts';
import { eventSigner } from './signature.ts';

const kafkaUp = await requireInfra('kafka');
const signer = eventSigner('pipeline-test-key-0123456789abcdef0123');
const signed = (id: string) => signer.sign(paymentCompleted(id, 'a', []));
/** An event signed by the shop, written `ms` after the test clock's time (before it when negative). */
const writtenAt = (id: string, ms: number) =>
  signer.sign(paymentCompleted(id, 'a', [], new Date(testClock() + ms).toISOString()));
const until = async (check: () => boolean, ms = 20_000) => {
  for (const end = Date.now() + ms; !check() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 10));
};

/**
 * A pipeline over a handler that does `behave` with each event's data (which must hold
 * `paymentId`), recording what it applied.
 */
function pipeline(
  behave: (event: CloudEvent) => Promise<void> = async () => undefined,
  maxAttempts = 3,
  name = 'product/on-payment-completed',
) {
  const dead = recordingDeadLetters(maxAttempts);
  const applied: string[] = [];
  const def: EventHandlerDef<unknown> = {
    name,
    needs: ['events'],
    topic: 'payment-completed',
    data: v.looseObject({ paymentId: v.string() }),
    handler: () => async (_data, event) => {
      await behave(event);
      applied.push(event.id);
    },
  };
  return {
    dead,
    applied,
    pipeline: eventPipeline(
      def,
      {},
      { decode: (_topic, event) => event.data, signer, deadLetters: dead, log: testLog, now: testClock },
    ),
  };
}

/**
 * Messages that can never be applied, each for another reason: not JSON, no CloudEvent, a bad
 * envelope, no signature, data of another shape, written before the replay window.
 */
const refusals = [
  '{"half',
  '42',
  JSON.stringify({ id: 'e1', data: {} }),
  JSON.stringify({ ...signed('e2'), specversion: '0.3' }),
  JSON.stringify({ ...signed('e3'), id: '' }),
  JSON.stringify({ ...signed('e4'), data: 'text' }),
  JSON.stringify(paymentCompleted('e5', 'a', [])),
  JSON.stringify(signer.sign({ ...paymentCompleted('e6', 'a', []), data: { orderId: 'o6' } })),
  JSON.stringify(writtenAt('e7', -REPLAY_WINDOW_MS - 1)),
];

describe('one pipeline, whichever way a message comes', () => {
  it.runIf(kafkaUp)(
    'refuses the same messages for the same reasons from the Kafka bus and over the binding route (one parser)',
    async () => {
      const brokers = [new URL(infraUrls.kafka).host];
      const topic = uniqueName('refusals');
      await ensureTopics(brokers, [topic], 1);
      const producer = new Kafka({ clientId: 'refusals', brokers, logLevel: logLevel.NOTHING }).producer();
      await producer.connect();
      await producer.send({ topic, messages: refusals.map((value) => ({ key: 'k', value })) });
      await producer.disconnect();

      const viaKafka = pipeline();
      const bus = kafkaBus({ brokers, clientId: 'refusals' }, testLog);
      await bus.subscribe(topic, 'g', async (m) => void (await viaKafka.pipeline.deliver(m)));
      await until(() => viaKafka.dead.sent.length === refusals.length, 30_000);
      await bus.close();

      const viaRoute = pipeline();
      const app = createHttpApp({ log: testLog, bodyLimitBytes: 64 * 1024 });
      mountBinding(app, { binding: 'b', kafkaTopic: topic }, viaRoute.pipeline, eventCaller({ mode: 'off' }));
      for (const body of refusals) {
        const res = await app.request('/b', {
          method: 'POST',
          headers: { 'content-type': 'application/json', __topic: topic, __key: 'k' },
          body,
        });
        expect(await res.json()).toMatchObject({ status: 'DROP' });
      }

      expect(viaKafka.dead.sent).toEqual(viaRoute.dead.sent);
      expect(viaKafka.dead.sent.map((d) => [d.event_id, d.attempts, d.reason])).toEqual([
        ['', 1, 'message is not a CloudEvent: not JSON'],
        ['', 1, 'message is not a CloudEvent: not a JSON object'],
        ['', 1, 'message is not a CloudEvent: specversion is missing'],
        ['', 1, 'message is not a CloudEvent: specversion must be "1.0"'],
        ['', 1, 'message is not a CloudEvent: id must not be empty'],
        ['', 1, 'message is not a CloudEvent: data must be a JSON object'],
        ['e5', 1, 'event e5 does not carry a valid signature of the shop: it was not written by its functions'],
        ['e6', 1, expect.stringMatching(/^event e6 is not a valid payment-completed event: paymentId/)],
        ['e7', 1, expect.stringMatching(/^event e7 was written at .*: past the replay window$/)],
      ]);
      expect(viaKafka.dead.sent.map((d) => d.payload)).toEqual(refusals);
      expect([...viaKafka.applied, ...viaRoute.applied]).toEqual([]);
    },
    60_000,
  );

  it('on the in-process bus: dead-letters an event that keeps failing after its attempts and goes on; an outage only delays', async () => {
    const bus = memoryBus(testLog, { firstDelayMs: 1, maxDelayMs: 5 });
    let down = 3;
    const p = pipeline(async (event) => {
      if (event.id === 'poison') throw new Error('bug');
      if (event.id === 'waits' && down-- > 0) throw new ShopError('unavailable', 'the database is unavailable');
    });
    await bus.subscribe('payment-completed', 'g', async (m) => void (await p.pipeline.deliver(m)));
    for (const id of ['poison', 'waits', 'next']) await bus.publish('payment-completed', 'k', signed(id));
    await until(() => p.applied.includes('next'));
    await bus.close();
    expect(p.applied).toEqual(['waits', 'next']);
    expect(down).toBe(-1);
    expect(p.dead.sent).toMatchObject([
      { event_id: 'poison', attempts: 3, reason: 'failed 3 times, last: bug', key: 'k' },
    ]);
  });

  it('counts what became of each event by outcome: applied, invalid, failed, dead_lettered', async () => {
    const name = uniqueName('metrics-handler');
    let failures = 1;
    const p = pipeline(
      async (event) => {
        if (event.id === 'bad') throw new ShopError('invalid_argument', 'no');
        if (event.id === 'flaky' && failures-- > 0) throw new Error('once');
      },
      3,
      name,
    );
    for (const text of [
      JSON.stringify(signed('ok')),
      JSON.stringify(signed('flaky')),
      JSON.stringify(signed('bad')),
      'garbage',
    ]) {
      await p.pipeline.deliver({ text, key: 'k', context: {} });
    }
    const counts = Object.fromEntries(
      (await eventsHandled.get()).values
        .filter((x) => x.labels.handler === name)
        .map((x) => [x.labels.outcome, x.value]),
    );
    expect(counts).toEqual({ applied: 2, failed: 1, invalid: 2, dead_lettered: 2 });
  });

  it('gives a direct caller one attempt: a refusal answered, a failure thrown, nothing dead-lettered', async () => {
    const p = pipeline(async (event) => {
      if (event.id === 'fails') throw new Error('bug');
    });
    expect(await p.pipeline.once({ text: JSON.stringify(signed('ok')), context: {} })).toEqual({ applied: true });
    expect(await p.pipeline.once({ text: 'garbage', context: {} })).toEqual({
      refused: 'message is not a CloudEvent: not JSON',
    });
    await expect(p.pipeline.once({ text: JSON.stringify(signed('fails')), context: {} })).rejects.toThrow('bug');
    expect(p.dead.sent).toEqual([]);
  });
});
