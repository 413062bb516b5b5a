import { describe, expect, it } from 'vitest';
import { memoryPaymentStore } from '../../functions/payment/memory-store.ts';
import { testLog } from '../../functions/test-deps.ts';
import type { CloudEvent } from '../define.ts';
import type { EventBus } from './bus.ts';
import { startOutboxRelay } from './outbox-relay.ts';

const outboxEvent = (id: string) => ({
  topic: 'payment-completed', key: `k-${id}`,
  event: { specversion: '1.0', id, source: '/t', type: 't', time: 'now', datacontenttype: 'application/json', data: {} } as CloudEvent,
});

function recordingBus(failFirst = 0): EventBus & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    async publish(_topic, _key, e) {
      if (failFirst-- > 0) throw new Error('broker down');
      sent.push(e.id);
    },
    async subscribe() {},
    async ready() {},
    async close() {},
  };
}

describe('outbox relay', () => {
  it('publishes pending events in write order and marks them published', async () => {
    const store = memoryPaymentStore();
    await store.finish({ id: 'p' } as never, [outboxEvent('e1'), outboxEvent('e2'), outboxEvent('e3')]);
    const bus = recordingBus();
    const relay = startOutboxRelay(store, bus, testLog, 60_000, 2);
    await relay.flush();
    await relay.stop();
    expect(bus.sent).toEqual(['e1', 'e2', 'e3']);
    expect(await store.pending(10)).toEqual([]);
  });

  it('keeps events pending while the bus fails, and publishes them when it is back', async () => {
    const store = memoryPaymentStore();
    await store.finish({ id: 'p' } as never, [outboxEvent('e1')]);
    const bus = recordingBus(1);
    const relay = startOutboxRelay(store, bus, testLog, 60_000);
    await relay.flush();
    expect((await store.pending(10)).map((e) => e.event.id)).toEqual(['e1']);
    await relay.flush();
    await relay.stop();
    expect(bus.sent).toEqual(['e1']);
    expect(await store.pending(10)).toEqual([]);
  });
});
