import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { paymentCompleted, testClock } from '../../test/support/test-events.ts';
import { recordingDeadLetters, testLog } from '../../test/support/test-log.ts';
import type { CloudEvent, EventHandlerDef } from '../define.ts';
import { ShopError } from '../errors.ts';
import { createHttpApp } from '../http/create-http-app.ts';
import { eventCaller } from '../security/event-caller.ts';
import { MAX_EVENT_BYTES, mountBinding } from './binding-route.ts';
import { httpMessage } from './http-message.ts';
import { eventPipeline } from './pipeline.ts';
import { REPLAY_WINDOW_MS } from './replay-window.ts';
import { eventSigner } from './signature.ts';

const route = { binding: 'stock-payment-completed', kafkaTopic: 'run1.payment-completed' };
const TOKEN = 'the-app-api-token-of-this-function';
const signer = eventSigner('binding-route-test-key-0123456789abcdef');
/** Headers of a KafkaSource delivery: the app token as the attribute its ceOverrides set. */
const fromSource = { 'ce-apptoken': TOKEN };
/** A CloudEvent in HTTP binary mode: its attributes as ce-* headers, its data as body. */
const binary = (event: object) => {
  const { data, datacontenttype, ...attributes } = event as Record<string, unknown>;
  const headers = Object.fromEntries(Object.entries(attributes).map(([k, v]) => [`ce-${k}`, String(v)]));
  return {
    headers: { ...headers, 'content-type': String(datacontenttype ?? 'application/json') },
    body: JSON.stringify(data),
  };
};
/**
 * How a KafkaSource wraps a Kafka record that is no CloudEvent to it (what Dapr's pub/sub writes):
 * the value is the data.
 */
const wrapped = (value: string, topic = 'run1.payment-completed') => ({
  headers: {
    'ce-specversion': '1.0',
    'ce-id': 'partition:2/offset:41',
    'ce-type': 'dev.knative.kafka.event',
    'ce-source': `/apis/v1/namespaces/shop/kafkasources/product-on-payment-completed#${topic}`,
    'ce-subject': 'partition:2#41',
    'ce-key': 'pay-e1',
  },
  body: value,
});
const fromKafka = {
  'dapr-api-token': TOKEN,
  __topic: 'run1.payment-completed',
  __partition: '2',
  __offset: '41',
  __key: 'pay-e1',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
};
const signed = (id: string) => signer.sign(paymentCompleted(id, 'a', []));

/**
 * A binding route over a real pipeline (signed events only, any object as data) whose handler
 * does `behave` with each event it gets, and records it.
 */
function binding(behave: (event: CloudEvent) => Promise<void> = async () => undefined) {
  const app = createHttpApp({ log: testLog, bodyLimitBytes: 64 * 1024, ownBodyLimit: new Set([`/${route.binding}`]) });
  const got: CloudEvent[] = [];
  const dead = recordingDeadLetters(3);
  const def: EventHandlerDef<unknown> = {
    name: 'product/on-payment-completed',
    needs: ['events'],
    topic: 'payment-completed',
    data: v.looseObject({}),
    handler: () => async (_data, event) => {
      got.push(event);
      await behave(event);
    },
  };
  const pipeline = eventPipeline(
    def,
    {},
    { decode: (_topic, event) => event.data, signer, deadLetters: dead, log: testLog, now: testClock },
  );
  mountBinding(app, route, pipeline, eventCaller({ mode: 'token', token: TOKEN }));
  const post = async (
    body: unknown,
    headers: Record<string, string> = {},
    token: Record<string, string> = { 'dapr-api-token': TOKEN },
  ) => {
    const res = await app.request(`/${route.binding}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...token, ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };
  return { app, got, post, dead: dead.sent };
}

describe('the binding route daprd delivers to', () => {
  it('answers the OPTIONS probe with 200', async () => {
    expect((await binding().app.request(`/${route.binding}`, { method: 'OPTIONS' })).status).toBe(200);
  });

  it('delivers a valid event and answers 200 SUCCESS', async () => {
    const b = binding();
    const event = { ...signed('e1'), pubsubname: 'shop-pubsub', traceid: 'x' };
    expect(await b.post(event, fromKafka)).toEqual({ status: 200, body: { status: 'SUCCESS' } });
    expect(b.got.map((e) => e.id)).toEqual(['e1']);
  });

  it('tries a failing handler again in this delivery, and dead-letters the event with 200 DROP on its third failure', async () => {
    const b = binding(async () => {
      throw new Error('bug in handler');
    });
    const event = signed('e1');
    expect(await b.post(event, fromKafka)).toEqual({
      status: 200,
      body: { status: 'DROP', error: { code: 'dead_lettered', message: 'failed 3 times, last: bug in handler' } },
    });
    expect(b.got).toHaveLength(3);
    expect(b.dead).toEqual([
      {
        topic: 'payment-completed',
        handler: 'product/on-payment-completed',
        reason: 'failed 3 times, last: bug in handler',
        attempts: 3,
        event_id: 'e1',
        key: 'pay-e1',
        payload: JSON.stringify(event),
      },
    ]);
  });

  it('answers SUCCESS when a later attempt succeeds, with no dead letter', async () => {
    let failures = 2;
    const b = binding(async () => {
      if (failures-- > 0) throw new Error('not yet');
    });
    expect(await b.post(signed('e1'), fromKafka)).toEqual({ status: 200, body: { status: 'SUCCESS' } });
    expect(b.got).toHaveLength(3);
    expect(b.dead).toEqual([]);
  });

  it('never dead-letters while a dependency is unavailable: 503 at the first failure (uncounted), every time, until it is back', async () => {
    let down = true;
    const b = binding(async () => {
      if (down) throw new ShopError('unavailable', 'down');
    });
    for (let i = 0; i < 6; i++) expect((await b.post(signed('e1'), fromKafka)).status).toBe(503);
    expect(b.got).toHaveLength(6);
    expect(b.dead).toEqual([]);
    down = false;
    expect(await b.post(signed('e1'), fromKafka)).toEqual({ status: 200, body: { status: 'SUCCESS' } });
  });

  it('acknowledges a message from Kafka that can never be handled with 200 DROP, without calling the handler', async () => {
    const cases: [unknown, Record<string, string>, string][] = [
      ['{not json', fromKafka, 'message is not a CloudEvent: not JSON'],
      [{ id: 'e1', data: {} }, fromKafka, 'message is not a CloudEvent: specversion is missing'],
      [{ ...signed('e1'), specversion: '0.3' }, fromKafka, 'message is not a CloudEvent: specversion must be "1.0"'],
      [{ ...signed('e1'), data: 'text' }, fromKafka, 'message is not a CloudEvent: data must be a JSON object'],
      [
        signed('e1'),
        { ...fromKafka, __topic: 'run1.payment-refunded' },
        'message from topic run1.payment-refunded, expected run1.payment-completed',
      ],
      [signed('e1'), { ...fromKafka, __offset: 'minus one' }, '__offset must be a number'],
    ];
    for (const [body, headers, reason] of cases) {
      const b = binding();
      const res = await b.post(body, headers);
      expect(res).toEqual({
        status: 200,
        body: { status: 'DROP', error: { code: 'invalid_argument', message: reason } },
      });
      expect(b.got).toHaveLength(0);
      const payload = typeof body === 'string' ? body : JSON.stringify(body);
      expect(b.dead).toEqual([
        {
          topic: 'payment-completed',
          handler: 'product/on-payment-completed',
          reason,
          attempts: 1,
          event_id: '',
          key: 'pay-e1',
          payload,
        },
      ]);
    }
  });

  it('dead-letters an event the handler refuses (invalid_argument), or that is not signed, with the reason, at once', async () => {
    const b = binding(async () => {
      throw new ShopError('invalid_argument', 'items: bad');
    });
    expect(await b.post(signed('e1'), fromKafka)).toEqual({
      status: 200,
      body: {
        status: 'DROP',
        error: { code: 'dead_lettered', message: 'event e1 was refused by product/on-payment-completed: items: bad' },
      },
    });
    expect(await b.post(paymentCompleted('e2', 'a', []), fromKafka)).toMatchObject({
      status: 200,
      body: { status: 'DROP', error: { code: 'dead_lettered' } },
    });
    expect(b.got.map((e) => e.id)).toEqual(['e1']);
    expect(b.dead).toMatchObject([
      { reason: 'event e1 was refused by product/on-payment-completed: items: bad', attempts: 1, event_id: 'e1' },
      { reason: expect.stringMatching(/^event e2 does not carry a valid signature/), attempts: 1, event_id: 'e2' },
    ]);
  });

  it('dead-letters a signed event from Kafka written before the replay window (200 DROP), and answers another caller 400', async () => {
    const b = binding();
    const old = signer.sign(
      paymentCompleted('e1', 'a', [], new Date(testClock() - REPLAY_WINDOW_MS - 1).toISOString()),
    );
    const reason = `event e1 was written at ${old.time}, more than 7 days before ${new Date(testClock()).toISOString()}: past the replay window`;
    expect(await b.post(old, fromKafka)).toEqual({
      status: 200,
      body: { status: 'DROP', error: { code: 'dead_lettered', message: reason } },
    });
    expect(await b.post(old)).toMatchObject({ status: 400, body: { error: { message: reason } } });
    expect(b.got).toEqual([]);
    expect(b.dead).toEqual([
      {
        topic: 'payment-completed',
        handler: 'product/on-payment-completed',
        reason,
        attempts: 1,
        event_id: 'e1',
        key: 'pay-e1',
        payload: JSON.stringify(old),
      },
    ]);
  });

  it('dead-letters a message from Kafka too large to read, and refuses one from another caller with 413', async () => {
    const b = binding();
    const huge = JSON.stringify({ ...signed('e1'), padding: 'x'.repeat(MAX_EVENT_BYTES) });
    expect(await b.post(huge, fromKafka)).toMatchObject({
      status: 200,
      body: { status: 'DROP', error: { code: 'payload_too_large' } },
    });
    expect(b.dead).toMatchObject([
      { reason: `message larger than ${MAX_EVENT_BYTES} bytes`, attempts: 1, key: 'pay-e1', payload: '' },
    ]);
    expect((await b.post(huge)).status).toBe(413);
    expect(b.got).toHaveLength(0);
    // Larger than the app's limit for requests (64 KiB) but within the event limit: read.
    expect((await b.post({ ...signed('e2'), padding: 'x'.repeat(100_000) }, fromKafka)).status).toBe(200);
    expect(b.got).toHaveLength(1);
  });

  it('gives a caller that is not a Kafka binding one attempt: 400 for what is invalid, the error of a failing handler, never a dead letter', async () => {
    const b = binding(async () => {
      throw new ShopError('invalid_argument', 'not valid');
    });
    expect(await b.post('{not json')).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_argument', message: 'message is not a CloudEvent: not JSON' } },
    });
    expect(await b.post(paymentCompleted('e0', 'a', []))).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringMatching(/does not carry a valid signature/) } },
    });
    expect(await b.post(signed('e1'))).toMatchObject({
      status: 400,
      body: { error: { message: 'event e1 was refused by product/on-payment-completed: not valid' } },
    });
    const failing = binding(async () => {
      throw new Error('bug in handler');
    });
    expect((await failing.post(signed('e2'))).status).toBe(500);
    expect(failing.got).toHaveLength(1);
    expect([...b.dead, ...failing.dead]).toEqual([]);
  });

  it("delivers a KafkaSource's event in binary mode, without the token attribute, reading the time as the shop wrote it", async () => {
    const b = binding();
    const event = signed('e1');
    // The source's Java SDK writes the timestamp anew: 10:00:00.000Z comes as 10:00:00Z (the
    // signature covers the time).
    const message = binary({ ...event, time: '2026-01-15T10:00:00Z' });
    expect(await b.post(message.body, message.headers, fromSource)).toEqual({
      status: 200,
      body: { status: 'SUCCESS' },
    });
    expect(b.got).toEqual([event]);
  });

  it('unwraps a Kafka record a KafkaSource wrapped (its value is the event)', async () => {
    const b = binding();
    const event = signed('e1');
    const message = wrapped(JSON.stringify(event));
    expect(await b.post(message.body, message.headers, fromSource)).toEqual({
      status: 200,
      body: { status: 'SUCCESS' },
    });
    expect(b.got).toEqual([event]);
  });

  it('dead-letters what a KafkaSource brings that can never be handled and answers 200 DROP (it would drop a 400), without the token', async () => {
    const event = signed('e1');
    const cases = [
      binary({ ...event, data: 'text' }),
      binary({ ...event, specversion: '0.3' }),
      { ...binary(event), body: '{not json' },
      wrapped('{not json'),
      wrapped(JSON.stringify(event), 'run1.payment-refunded'),
    ];
    for (const message of cases) {
      const b = binding();
      const res = await b.post(message.body, message.headers, fromSource);
      expect(res, message.body).toMatchObject({
        status: 200,
        body: { status: 'DROP', error: { code: 'invalid_argument' } },
      });
      expect(b.got).toHaveLength(0);
      expect(b.dead).toHaveLength(1);
      expect(b.dead[0]!.payload).not.toContain(TOKEN);
    }
    expect((await binding().post(cases[0]!.body, cases[0]!.headers)).status).toBe(400);
  });

  it('dead-letters an event a KafkaSource brings that the handler refuses, and one too large to read', async () => {
    const b = binding(async () => {
      throw new ShopError('invalid_argument', 'not valid');
    });
    const message = binary(signed('e1'));
    expect(await b.post(message.body, message.headers, fromSource)).toMatchObject({
      status: 200,
      body: { status: 'DROP', error: { code: 'dead_lettered' } },
    });
    const huge = wrapped(JSON.stringify({ ...signed('e2'), padding: 'x'.repeat(MAX_EVENT_BYTES) }));
    expect(await b.post(huge.body, huge.headers, fromSource)).toMatchObject({
      status: 200,
      body: { status: 'DROP', error: { code: 'payload_too_large' } },
    });
    expect(b.dead.map((d) => [d.reason, d.key])).toEqual([
      ['event e1 was refused by product/on-payment-completed: not valid', 'pay-e1'],
      [`message larger than ${MAX_EVENT_BYTES} bytes`, 'pay-e1'],
    ]);
  });
});

describe('an HTTP delivery as a message', () => {
  it("carries a Dapr binding's Kafka metadata: key apart, the rest as context", () => {
    const body = JSON.stringify(signed('e1'));
    expect(httpMessage(new Headers(fromKafka), body, route.kafkaTopic)).toEqual({
      text: body,
      key: 'pay-e1',
      context: { topic: 'run1.payment-completed', partition: 2, offset: '41', traceparent: fromKafka.traceparent },
    });
  });

  it('carries the Kafka metadata a KafkaSource names for a record it wrapped', () => {
    const message = wrapped(JSON.stringify(signed('e1')));
    expect(httpMessage(new Headers(message.headers), message.body, route.kafkaTopic)).toEqual({
      text: message.body,
      key: 'pay-e1',
      context: { topic: 'run1.payment-completed', partition: 2, offset: '41' },
    });
  });

  it('has no key when the delivery names none (the dead letter then takes the event subject)', () => {
    expect(httpMessage(new Headers(), '{}', route.kafkaTopic)).toEqual({ text: '{}', key: undefined, context: {} });
  });
});
