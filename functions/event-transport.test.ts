import { describe, expect, it } from 'vitest';
import type { EventBus, EventListener } from '../platform/events/bus.ts';
import { memoryBus } from '../platform/events/memory-bus.ts';
import { testSigner } from '../test/support/function-app.ts';
import { testDeps } from '../test/support/function-deps.ts';
import { EVENT_TIME, paymentCompleted } from '../test/support/test-events.ts';
import { REPLAY_WINDOW_MS } from '../platform/events/replay-window.ts';
import { recordingDeadLetters, testLog } from '../test/support/test-log.ts';
import { startEventDelivery } from './event-transport.ts';
import { definitionsOf, registry } from './registry.ts';

/** A bus that records who subscribes (and delivers nothing). */
function recordingBus(): EventBus & { subscribed: string[] } {
  const subscribed: string[] = [];
  return {
    subscribed,
    publish: async () => undefined,
    subscribe: async (topic: string, group: string, _listener: EventListener) =>
      void subscribed.push(`${topic} ${group}`),
    ready: async () => undefined,
    close: async () => undefined,
  };
}

const runtime = (bus: EventBus) => ({ deps: testDeps(), bus, signer: testSigner, deadLetters: recordingDeadLetters() });

describe('the one place that picks the event transport', () => {
  it('subscribes each event handler among the definitions to its topic in its own group on memory and Kafka, and nothing else', async () => {
    for (const eventTransport of ['memory', 'kafka'] as const) {
      const bus = recordingBus();
      await startEventDelivery({ eventTransport }, registry, runtime(bus), testLog, { bindingRoutes: false });
      expect(bus.subscribed).toEqual([
        'payment-completed product/on-payment-completed',
        'payment-completed basket/on-payment-completed',
        'stock-rejected payment/on-stock-rejected',
      ]);
    }
  });

  it('subscribes nothing under Dapr, where the sidecar delivers to the binding routes this process serves', async () => {
    const bus = recordingBus();
    await startEventDelivery(
      { eventTransport: 'dapr' },
      definitionsOf(['basket/on-payment-completed']),
      runtime(bus),
      testLog,
      { bindingRoutes: true },
    );
    await startEventDelivery({ eventTransport: 'dapr' }, definitionsOf(['get-product']), runtime(bus), testLog, {
      bindingRoutes: false,
    });
    expect(bus.subscribed).toEqual([]);
  });

  it('refuses to start handlers under Dapr in a process that serves no binding route (the embedded gateway): they would never hear an event', async () => {
    await expect(
      startEventDelivery({ eventTransport: 'dapr' }, registry, runtime(recordingBus()), testLog, {
        bindingRoutes: false,
      }),
    ).rejects.toThrow(
      /EVENT_TRANSPORT=dapr delivers events through each handler's sidecar to its binding route, and this process serves none \(product\/on-payment-completed, basket\/on-payment-completed, payment\/on-stock-rejected\).*EVENT_TRANSPORT=memory or kafka/,
    );
  });

  it('delivers what is published to the handler through its pipeline: a signed event applied, an unsigned one dead-lettered', async () => {
    const bus = memoryBus(testLog);
    const r = runtime(bus);
    await r.deps.baskets.add('alice', 'mug', 2);
    await r.deps.baskets.add('bob', 'mug', 1);
    await startEventDelivery({ eventTransport: 'memory' }, definitionsOf(['basket/on-payment-completed']), r, testLog, {
      bindingRoutes: false,
    });
    await bus.publish(
      'payment-completed',
      'pay-e1',
      testSigner.sign(paymentCompleted('e1', 'alice', [{ product_id: 'mug', quantity: 2 }])),
    );
    await bus.publish(
      'payment-completed',
      'pay-e2',
      paymentCompleted('e2', 'bob', [{ product_id: 'mug', quantity: 1 }]),
    );
    for (let i = 0; i < 200 && r.deadLetters.sent.length === 0; i++) await new Promise((ok) => setTimeout(ok, 5));
    await bus.close();
    expect(await r.deps.baskets.get('alice')).toEqual([]);
    expect(await r.deps.baskets.get('bob')).toHaveLength(1);
    expect(r.deadLetters.sent).toMatchObject([
      {
        handler: 'basket/on-payment-completed',
        event_id: 'e2',
        key: 'pay-e2',
        reason: expect.stringMatching(/does not carry a valid signature/),
      },
    ]);
  });

  it("judges an event's time by the clock of the deps: a signed event written before the replay window is dead-lettered, the basket untouched", async () => {
    const bus = memoryBus(testLog);
    const r = runtime(bus);
    await r.deps.baskets.add('alice', 'mug', 2);
    await startEventDelivery({ eventTransport: 'memory' }, definitionsOf(['basket/on-payment-completed']), r, testLog, {
      bindingRoutes: false,
    });
    const written = new Date(Date.parse(EVENT_TIME) - REPLAY_WINDOW_MS - 1_000).toISOString();
    const old = paymentCompleted('old', 'alice', [{ product_id: 'mug', quantity: 2 }], written);
    await bus.publish('payment-completed', 'pay-old', testSigner.sign(old));
    for (let i = 0; i < 200 && r.deadLetters.sent.length === 0; i++) await new Promise((ok) => setTimeout(ok, 5));
    await bus.close();
    expect(await r.deps.baskets.get('alice')).toEqual([{ product_id: 'mug', quantity: 2 }]);
    expect(r.deadLetters.sent).toMatchObject([
      {
        handler: 'basket/on-payment-completed',
        event_id: 'old',
        attempts: 1,
        reason: expect.stringMatching(/^event old was written at .*: past the replay window$/),
      },
    ]);
  });
});
