import { getOption, hasOption } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { file_shop_events_v1_events, topic } from '../../gen/shop/events/v1/events_pb.ts';
import { routes } from '../routes.ts';
import { cloudEvent, eventData, topics } from './topics.ts';

/** What events.proto says: each event message and the topic its option names. */
const declared = Object.fromEntries(
  file_shop_events_v1_events.messages.filter((m) => hasOption(m, topic)).map((m) => [getOption(m, topic), m.typeName]),
);

describe('event topics', () => {
  it('are the ones events.proto declares, each carrying the message that declares it', () => {
    expect(Object.fromEntries(Object.entries(topics).map(([name, schema]) => [name, schema.typeName]))).toEqual(
      declared,
    );
    expect(file_shop_events_v1_events.messages.map((m) => m.typeName).sort()).toEqual(Object.values(declared).sort());
  });

  it('are every topic an event handler reads', () => {
    for (const route of Object.values(routes))
      if (route.kind === 'event') expect(Object.keys(declared)).toContain(route.topic);
  });

  it('give a CloudEvent the message’s full name as its type, and read back only that type', () => {
    const event = cloudEvent('stock-rejected', {
      id: 'e1',
      source: '/t',
      subject: 'p1',
      time: '2026-01-01T00:00:00.000Z',
      data: { payment_id: 'p1', requested: 2 },
    });
    expect(event.type).toBe('shop.events.v1.StockRejected');
    expect(eventData('stock-rejected', event)).toMatchObject({ payment_id: 'p1', requested: 2 });
    expect(() => eventData('payment-completed', event)).toThrow(
      /is not the payment-completed type shop\.events\.v1\.PaymentCompleted/,
    );
  });
});
