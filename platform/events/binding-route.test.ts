import { describe, expect, it } from 'vitest';
import { paymentCompleted } from '../../functions/events/test-events.ts';
import { recordingDeadLetters, testLog } from '../../functions/test-deps.ts';
import type { CloudEvent } from '../define.ts';
import { ShopError } from '../errors.ts';
import { createHttpApp } from '../http/app.ts';
import { eventCaller } from '../security/event-caller.ts';
import { MAX_EVENT_BYTES, mountBinding } from './binding-route.ts';
import type { DeliveryOutcome } from './subscribe.ts';

const route = { binding: 'stock-payment-completed', handler: 'product/on-payment-completed', topic: 'payment-completed', kafkaTopic: 'run1.payment-completed' };
const TOKEN = 'the-app-api-token-of-this-function';
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
  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await app.request(`/${route.binding}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'dapr-api-token': TOKEN, ...headers },
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
});
