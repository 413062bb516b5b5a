import { describe, expect, it, vi } from 'vitest';
import { testLog } from '../../test/support/test-log.ts';
import type { CloudEvent } from '../define.ts';
import type { EventBus } from './bus.ts';
import { memoryOutbox } from './memory-outbox.ts';
import { startOutboxRelay } from './outbox-relay.ts';

const outboxEvent = (id: string) => ({
  topic: 'payment-completed',
  key: `k-${id}`,
  event: {
    specversion: '1.0',
    id,
    source: '/t',
    type: 't',
    time: 'now',
    datacontenttype: 'application/json',
    data: {},
  } as CloudEvent,
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
    const store = memoryOutbox();
    store.add([outboxEvent('e1'), outboxEvent('e2'), outboxEvent('e3')]);
    const bus = recordingBus();
    const relay = startOutboxRelay(store, bus, testLog, 60_000, 2);
    await relay.flush();
    await relay.stop();
    expect(bus.sent).toEqual(['e1', 'e2', 'e3']);
    expect(await store.pending(10)).toEqual([]);
  });

  it('keeps events pending while the bus fails, and publishes them when it is back', async () => {
    const store = memoryOutbox();
    store.add([outboxEvent('e1')]);
    const bus = recordingBus(1);
    const relay = startOutboxRelay(store, bus, testLog, 60_000);
    await relay.flush();
    expect((await store.pending(10)).map((e) => e.event.id)).toEqual(['e1']);
    await relay.flush();
    await relay.stop();
    expect(bus.sent).toEqual(['e1']);
    expect(await store.pending(10)).toEqual([]);
  });

  it('publishes what is written after it started without waiting for its poll (woken by the commit)', async () => {
    const store = memoryOutbox();
    const bus = recordingBus();
    const relay = startOutboxRelay(store, bus, testLog, 3_600_000); // its poll would come in an hour
    try {
      store.add([outboxEvent('e1')]);
      store.add([outboxEvent('e2'), outboxEvent('e3')]);
      await vi.waitFor(() => expect(bus.sent).toEqual(['e1', 'e2', 'e3']), { timeout: 5_000 });
    } finally {
      await relay.stop();
    }
    // Stopped, it no longer hears commits.
    store.add([outboxEvent('e4')]);
    await new Promise((r) => setTimeout(r, 50));
    expect(bus.sent).toEqual(['e1', 'e2', 'e3']);
  });

  it('looks again soon when another relay holds the outbox, instead of waiting for its poll', async () => {
    const store = memoryOutbox();
    let held = 2; // another process's relay holds it for the next two passes
    const outbox = {
      ...store,
      relayBatch: (...a: Parameters<typeof store.relayBatch>) =>
        held-- > 0 ? Promise.resolve('busy' as const) : store.relayBatch(...a),
    };
    const bus = recordingBus();
    const relay = startOutboxRelay(outbox, bus, testLog, 3_600_000); // its poll would come in an hour
    try {
      store.add([outboxEvent('e1')]);
      await vi.waitFor(() => expect(bus.sent).toEqual(['e1']), { timeout: 2_000 });
      expect(held).toBeLessThan(0);
    } finally {
      await relay.stop();
    }
  });

  it('hands a batch to a bus that publishes several at once in one call, in write order', async () => {
    const store = memoryOutbox();
    store.add([outboxEvent('e1'), outboxEvent('e2'), outboxEvent('e3')]);
    const calls: string[][] = [];
    const bus = {
      ...recordingBus(),
      publishAll: async (es: readonly { event: CloudEvent }[]) => void calls.push(es.map((e) => e.event.id)),
    };
    const relay = startOutboxRelay(store, bus, testLog, 60_000);
    await relay.flush();
    await relay.stop();
    expect(calls).toEqual([['e1', 'e2', 'e3']]);
    expect(bus.sent).toEqual([]);
  });
});
