import type { DeadLetterPolicy, SendDeadLetter } from '../platform/events/dead-letter.ts';
import { memoryOutbox } from '../platform/events/memory-outbox.ts';
import { createLog } from '../platform/log.ts';
import { memoryBasketStore } from './basket/memory-store.ts';
import type { Deps } from './deps.ts';
import { memoryPaymentStore } from './payment/memory-store.ts';
import { testProvider } from './payment/provider.ts';
import { memoryProductStore } from './product/memory-store.ts';
import type { Product } from './product/product.ts';

/** A silent logger for tests. */
export const testLog = createLog('test', process.env.TEST_LOG_LEVEL ?? 'silent');

/** In-memory dependencies with a fixed clock and sequential ids, for function tests. */
export function testDeps(overrides: Partial<Deps> = {}): Deps {
  let n = 0;
  const outbox = memoryOutbox();
  return {
    products: memoryProductStore(outbox),
    baskets: memoryBasketStore(),
    payments: memoryPaymentStore(outbox),
    provider: testProvider(),
    now: () => '2026-01-15T10:00:00.000Z',
    newId: () => `id-${++n}`,
    currency: 'USD',
    ...overrides,
  };
}

/** A product for tests; fields can be overridden. */
export function aProduct(over: Partial<Product> = {}): Product {
  return {
    id: 'mug',
    name: 'Mug',
    description: 'A mug',
    category: 'kitchen',
    price: { amount_minor: 1250, currency: 'USD' },
    stock: 10,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    ...over,
  };
}

/** A dead-letter policy for tests that keeps what it is sent in `sent`. */
export function recordingDeadLetters(maxAttempts = 3): DeadLetterPolicy & { sent: Parameters<SendDeadLetter>[0][] } {
  const sent: Parameters<SendDeadLetter>[0][] = [];
  return { sent, maxAttempts, log: testLog, send: async (d) => void sent.push(d) };
}
