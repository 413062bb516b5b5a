import { describe, expect, it } from 'vitest';
import { paymentCompleted } from '../../test/support/test-events.ts';
import { recordingDeadLetters, testLog } from '../../test/support/test-log.ts';
import type { CloudEvent } from '../define.ts';
import { ShopError } from '../errors.ts';
import { createHttpApp } from '../http/create-http-app.ts';
import { eventCaller } from '../security/event-caller.ts';
import { MAX_EVENT_BYTES, mountBinding } from './binding-route.ts';
import type { DeliveryOutcome } from './subscribe.ts';

const route = { binding: 'stock-payment-completed', handler: 'product/on-payment-completed', topic: 'payment-completed', kafkaTopic: 'run1.payment-completed' };
const TOKEN = 'the-app-api-token-of-this-function';
/** Headers of a KafkaSource delivery: the app token as the attribute its ceOverrides set. */
const fromSource = { 'ce-apptoken': TOKEN };
/** A CloudEvent in HTTP binary mode: its attributes as ce-* headers, its data as body. */
const binary = (event: object) => {
  const { data, datacontenttype, ...attributes } = event as Record<string, unknown>;
  const headers = Object.fromEntries(Object.entries(attributes).map(([k, v]) => [`ce-${k}`, String(v)]));
  return { headers: { ...headers, 'content-type': String(datacontenttype ?? 'application/json') }, body: JSON.stringify(data) };
};
/** How a KafkaSource wraps a Kafka record that is no CloudEvent to it (what Dapr's pub/sub writes): the value is the data. */
const wrapped = (value: string, topic = 'run1.payment-completed') => ({
  headers: { 'ce-specversion': '1.0', 'ce-id': 'partition:2/offset:41', 'ce-type': 'dev.knative.kafka.event', 'ce-source': `/apis/v1/namespaces/shop/kafkasources/product-on-payment-completed#${topic}`, 'ce-subject': 'partition:2#41', 'ce-key': 'pay-e1' },
  body: value,
});
const fromKafka = { 'dapr-api-token': TOKEN, __topic: 'run1.payment-completed', __partition: '2', __offset: '41', __key: 'pay-e1', traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };

/** A binding route whose handler answers `outcome` (or throws it) and records what it got. */
function binding(outcome: DeliveryOutcome | Error = { ok: true }) {
  const app = createHttpApp({ log: testLog, bodyLimitBytes: 64 * 1024, ownBodyLimit: new Set([`/${route.binding}`]) });
  const got: { event: CloudEvent; context?: Record<string, unknown> }[] = [];
  const dead = recordingDeadLetters(3);
  mountBinding(app, route, async (event, context) => {
    got.push({ event, context });
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }, dead, eventCaller({ mode: 'token', token: TOKEN }));
  const post = async (body: unknown, headers: Record<string, string> = {}, token: Record<string, string> = { 'dapr-api-token': TOKEN }) => {
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

  it('delivers a valid event with its Kafka metadata and answers 200 SUCCESS', async () => {
    const b = binding();
    const event = { ...paymentCompleted('e1', 'alice', [{ product_id: 'mug', quantity: 1 }]), pubsubname: 'shop-pubsub', traceid: 'x' };
    expect(await b.post(event, fromKafka)).toEqual({ status: 200, body: { status: 'SUCCESS' } });
    expect(b.got).toHaveLength(1);
    expect(b.got[0]!.event.id).toBe('e1');
    expect(b.got[0]!.context).toEqual({ topic: 'run1.payment-completed', partition: 2, offset: '41', key: 'pay-e1', traceparent: fromKafka.traceparent });
  });

  it('asks for redelivery (5xx) when the handler fails, and dead-letters the event on its third failure', async () => {
    const b = binding(new Error('bug in handler'));
    const event = paymentCompleted('e1', 'a', []);
    expect((await b.post(event, fromKafka)).status).toBe(500);
    expect((await b.post(event, fromKafka)).status).toBe(500);
    expect(b.dead).toEqual([]);
    expect(await b.post(event, fromKafka)).toEqual({ status: 200, body: { status: 'DROP', error: { code: 'dead_lettered', message: 'failed 3 times, last: bug in handler' } } });
    expect(b.dead).toEqual([{ topic: 'payment-completed', handler: 'product/on-payment-completed', reason: 'failed 3 times, last: bug in handler', attempts: 3, event_id: 'e1', key: 'pay-e1', payload: JSON.stringify(event) }]);
  });

  it('never dead-letters while a dependency is unavailable: 503 until it is back', async () => {
    const b = binding(new ShopError('unavailable', 'down'));
    for (let i = 0; i < 6; i++) expect((await b.post(paymentCompleted('e1', 'a', []), fromKafka)).status).toBe(503);
    expect(b.dead).toEqual([]);
  });

  it('acknowledges a message from Kafka that can never be handled with 200 DROP, without calling the handler', async () => {
    const cases: [unknown, Record<string, string>][] = [
      ['{not json', fromKafka],
      [{ id: 'e1', data: {} }, fromKafka],
      [{ ...paymentCompleted('e1', 'a', []), data: 'text' }, fromKafka],
      [paymentCompleted('e1', 'a', []), { ...fromKafka, __topic: 'run1.payment-refunded' }],
      [paymentCompleted('e1', 'a', []), { ...fromKafka, __offset: 'minus one' }],
    ];
    for (const [body, headers] of cases) {
      const b = binding();
      const res = await b.post(body, headers);
      expect(res).toMatchObject({ status: 200, body: { status: 'DROP', error: { code: 'invalid_argument' } } });
      expect(b.got).toHaveLength(0);
      const payload = typeof body === 'string' ? body : JSON.stringify(body);
      expect(b.dead).toEqual([{ topic: 'payment-completed', handler: 'product/on-payment-completed', reason: (res.body as { error: { message: string } }).error.message, attempts: 1, event_id: '', key: 'pay-e1', payload }]);
    }
  });

  it('dead-letters an event whose data the handler rejects, with the reason, at once', async () => {
    const reason = 'event e1 is not a valid payment-completed event: items: bad';
    const b = binding({ ok: false, reason });
    const res = await b.post(paymentCompleted('e1', 'a', []), fromKafka);
    expect(res).toEqual({ status: 200, body: { status: 'DROP', error: { code: 'dead_lettered', message: reason } } });
    expect(b.dead).toMatchObject([{ reason, attempts: 1, event_id: 'e1' }]);
  });

  it('dead-letters a message from Kafka too large to read, and refuses one from another caller with 413', async () => {
    const b = binding();
    const huge = JSON.stringify({ ...paymentCompleted('e1', 'a', []), padding: 'x'.repeat(MAX_EVENT_BYTES) });
    expect(await b.post(huge, fromKafka)).toMatchObject({ status: 200, body: { status: 'DROP', error: { code: 'payload_too_large' } } });
    expect(b.dead).toMatchObject([{ reason: `message larger than ${MAX_EVENT_BYTES} bytes`, attempts: 1, key: 'pay-e1', payload: '' }]);
    expect((await b.post(huge)).status).toBe(413);
    expect(b.got).toHaveLength(0);
    // Larger than the app's limit for requests (64 KiB) but within the event limit: read.
    expect((await b.post({ ...paymentCompleted('e2', 'a', []), padding: 'x'.repeat(100_000) }, fromKafka)).status).toBe(200);
    expect(b.got).toHaveLength(1);
  });

  it('answers 400 to a caller that is not a Kafka binding', async () => {
    const b = binding({ ok: false, reason: 'not valid' });
    expect(await b.post('{not json')).toMatchObject({ status: 400, body: { error: { code: 'invalid_argument' } } });
    expect(await b.post(paymentCompleted('e1', 'a', []))).toMatchObject({ status: 400, body: { error: { message: 'not valid' } } });
    expect(b.dead).toEqual([]);
  });

  it("delivers a KafkaSource's event in binary mode, without the token attribute, reading the time as the shop wrote it", async () => {
    const b = binding();
    const event = paymentCompleted('e1', 'alice', [{ product_id: 'mug', quantity: 1 }]);
    // The source's Java SDK writes the timestamp anew: 10:00:00.000Z comes as 10:00:00Z.
    const message = binary({ ...event, time: '2026-01-15T10:00:00Z', signature: 'sig' });
    expect(await b.post(message.body, message.headers, fromSource)).toEqual({ status: 200, body: { status: 'SUCCESS' } });
    expect(b.got).toEqual([{ event: { ...event, signature: 'sig' }, context: {} }]);
  });

  it('unwraps a Kafka record a KafkaSource wrapped (its value is the event), with the Kafka metadata it names', async () => {
    const b = binding();
    const event = paymentCompleted('e1', 'alice', [{ product_id: 'mug', quantity: 1 }]);
    const message = wrapped(JSON.stringify(event));
    expect(await b.post(message.body, message.headers, fromSource)).toEqual({ status: 200, body: { status: 'SUCCESS' } });
    expect(b.got).toEqual([{ event, context: { topic: 'run1.payment-completed', partition: 2, offset: '41', key: 'pay-e1' } }]);
  });

  it('dead-letters what a KafkaSource brings that can never be handled and answers 200 DROP (it would drop a 400), without the token', async () => {
    const event = paymentCompleted('e1', 'a', []);
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
      expect(res, message.body).toMatchObject({ status: 200, body: { status: 'DROP', error: { code: 'invalid_argument' } } });
      expect(b.got).toHaveLength(0);
      expect(b.dead).toHaveLength(1);
      expect(b.dead[0]!.payload).not.toContain(TOKEN);
    }
    expect((await binding().post(cases[0]!.body, cases[0]!.headers)).status).toBe(400);
  });

  it('dead-letters an event a KafkaSource brings that the handler rejects, and one too large to read', async () => {
    const b = binding({ ok: false, reason: 'not valid' });
    const message = binary(paymentCompleted('e1', 'a', []));
    expect(await b.post(message.body, message.headers, fromSource)).toMatchObject({ status: 200, body: { status: 'DROP', error: { code: 'dead_lettered' } } });
    const huge = wrapped(JSON.stringify({ ...paymentCompleted('e2', 'a', []), padding: 'x'.repeat(MAX_EVENT_BYTES) }));
    expect(await b.post(huge.body, huge.headers, fromSource)).toMatchObject({ status: 200, body: { status: 'DROP', error: { code: 'payload_too_large' } } });
    expect(b.dead.map((d) => [d.reason, d.key])).toEqual([['not valid', 'pay-e1'], [`message larger than ${MAX_EVENT_BYTES} bytes`, 'pay-e1']]);
  });
});
