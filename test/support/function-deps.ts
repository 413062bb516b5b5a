import { memoryOutbox } from '../../platform/events/memory-outbox.ts';
import { memoryBasketStore } from '../../functions/basket/memory-store.ts';
import type { Deps } from '../../functions/deps.ts';
import { memoryPaymentStore } from './memory-payment-store.ts';
import { memoryTestProvider } from '../../functions/payment/test-provider/memory-provider.ts';
import { memoryProductStore } from './memory-product-store.ts';
import type { Product } from '../../functions/product/product.ts';

/** In-memory dependencies with a fixed clock and sequential ids, for function tests. */
export function testDeps(overrides: Partial<Deps> = {}): Deps {
  let n = 0;
  const outbox = memoryOutbox();
  return {
    products: memoryProductStore(outbox),
    baskets: memoryBasketStore(),
    payments: memoryPaymentStore(outbox),
    provider: memoryTestProvider(),
    now: () => '2026-01-15T10:00:00.000Z',
    newId: () => `id-${++n}`,
    currency: 'USD',
    crash: () => {},
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
