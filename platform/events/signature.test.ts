import { describe, expect, it } from 'vitest';
import { paymentCompleted } from '../../test/support/test-events.ts';
import { eventSigner } from './signature.ts';

const signer = eventSigner('the-event-signing-key-0123456789abcdef');

describe('event signatures', () => {
  it('accepts an event it signed, also after a transport reordered its keys and added fields', () => {
    const signed = signer.sign(paymentCompleted('e1', 'alice', [{ product_id: 'mug', quantity: 2 }]));
    expect(signer.verify(signed)).toBe(true);
    const reordered = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(signed).reverse())));
    reordered.data = Object.fromEntries(Object.entries(reordered.data).reverse());
    expect(
      signer.verify({
        ...reordered,
        traceid: 'x',
        topic: 'run.payment-completed',
        pubsubname: 'shop-pubsub',
        traceparent: '00-…',
      }),
    ).toBe(true);
  });

  it('refuses an unsigned event, one signed with another key, and any change to what it says', () => {
    const event = paymentCompleted('e1', 'alice', [{ product_id: 'mug', quantity: 2 }]);
    const signed = signer.sign(event);
    expect(signer.verify(event)).toBe(false);
    expect(signer.verify(eventSigner('another-key-of-at-least-32-characters').sign(event))).toBe(false);
    const data = signed.data as { items: { quantity: number }[] };
    const changes = [
      { ...signed, id: 'e2' },
      { ...signed, type: 'shop.events.v1.StockRejected' },
      { ...signed, source: '/elsewhere' },
      { ...signed, subject: 'pay-other' },
      { ...signed, time: '2030-01-01T00:00:00Z' },
      { ...signed, data: { ...data, items: [{ ...data.items[0], quantity: 20 }] } },
      { ...signed, signature: '' },
      { ...signed, signature: 42 },
    ];
    for (const changed of changes)
      expect(signer.verify(changed as never), JSON.stringify(changed).slice(0, 120)).toBe(false);
  });

  it('refuses a captured event re-dated, however little: its time is signed, so no one but the shop can renew it', () => {
    const signed = signer.sign(paymentCompleted('e1', 'alice', [], '2026-01-01T10:00:00.000Z'));
    expect(signer.verify(signed)).toBe(true);
    for (const time of ['2026-01-15T10:00:00.000Z', '2026-01-01T10:00:00.001Z', undefined])
      expect(signer.verify({ ...signed, time } as never), String(time)).toBe(false);
  });
});
