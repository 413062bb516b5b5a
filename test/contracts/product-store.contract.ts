import { beforeEach, describe, expect, it } from 'vitest';
import { aProduct } from '../support/function-deps.ts';
import type { Outbox, OutboxEvent } from '../../platform/events/outbox.ts';
import { cloudEvent } from '../../functions/events/topics.ts';
import type { StockShortage } from '../../functions/product/product.ts';
import type { ProductStore } from '../../functions/product/store.ts';

const now = '2026-02-01T00:00:00.000Z';

/** A `stock-rejected` event for a shortage, with a recognisable id. */
const rejected =
  (id: string) =>
  (s: StockShortage): OutboxEvent => ({
    topic: 'stock-rejected',
    key: 'p1',
    event: cloudEvent('stock-rejected', {
      id,
      source: '/test',
      subject: 'p1',
      time: now,
      data: { payment_id: 'p1', ...s },
    }),
  });

/** A product store and the outbox it writes to. */
export type ProductStoreWithOutbox = ProductStore & { outbox: Outbox };

/** The behaviour every ProductStore adapter must have. */
export function productStoreContract(adapter: string, make: () => Promise<ProductStoreWithOutbox>, enabled = true) {
  describe.runIf(enabled)(`ProductStore contract: ${adapter}`, () => {
    let store: ProductStoreWithOutbox;
    beforeEach(async () => {
      store = await make();
      await store.insert([
        aProduct({ id: 'b', name: 'Bowl', category: 'kitchen', stock: 5 }),
        aProduct({ id: 'a', name: 'Apple', category: 'food', stock: 2 }),
        aProduct({ id: 'c', name: 'Cup', category: 'kitchen', stock: 0 }),
      ]);
    });

    it('lists by name, filters by category, pages and counts', async () => {
      expect((await store.list({ limit: 10, offset: 0 })).products.map((p) => p.id)).toEqual(['a', 'b', 'c']);
      expect(await store.list({ category: 'kitchen', limit: 1, offset: 1 })).toMatchObject({
        products: [{ id: 'c' }],
        total: 2,
      });
      expect(await store.list({ category: 'none', limit: 10, offset: 0 })).toEqual({ products: [], total: 0 });
      expect(await store.list({ limit: 10, offset: 50 })).toEqual({ products: [], total: 3 });
      expect(await store.list({ category: 'kitchen', limit: 10, offset: 5 })).toEqual({ products: [], total: 2 });
    });

    it('round-trips every field', async () => {
      expect(await store.get('b')).toEqual(aProduct({ id: 'b', name: 'Bowl', category: 'kitchen', stock: 5 }));
      expect(await store.get('zzz')).toBeUndefined();
      expect((await store.getMany(['c', 'zzz', 'a'])).map((p) => p.id).sort()).toEqual(['a', 'c']);
    });

    it('leaves existing ids untouched on insert', async () => {
      await store.insert([aProduct({ id: 'a', name: 'Changed' })]);
      expect((await store.get('a'))?.name).toBe('Apple');
    });

    it('updates given fields only, deletes', async () => {
      const updated = await store.update('a', { name: 'Pear', price: { amount_minor: 99, currency: 'USD' } }, now);
      expect(updated).toMatchObject({ name: 'Pear', category: 'food', price: { amount_minor: 99 }, updated_at: now });
      expect(await store.update('zzz', { name: 'x' }, now)).toBeUndefined();
      expect(await store.delete('a')).toBe(true);
      expect(await store.delete('a')).toBe(false);
    });

    it('adjusts stock but never below zero', async () => {
      expect((await store.adjustStock('b', -5, now)).stock).toBe(0);
      await expect(store.adjustStock('b', -1, now)).rejects.toMatchObject({ code: 'insufficient_stock' });
      await expect(store.adjustStock('zzz', 1, now)).rejects.toMatchObject({ code: 'not_found' });
      expect((await store.get('b'))?.stock).toBe(0);
    });

    it('takes order stock all or nothing, once per consumer and event id', async () => {
      const lines = [
        { product_id: 'a', quantity: 2 },
        { product_id: 'b', quantity: 1 },
      ];
      expect(await store.takeOrderStock('c1', 'e1', lines, now, rejected('x1'))).toEqual({ outcome: 'applied' });
      expect(await store.takeOrderStock('c1', 'e1', lines, now, rejected('x2'))).toEqual({ outcome: 'duplicate' });
      expect((await store.getMany(['a', 'b'])).map((p) => p.stock).sort()).toEqual([0, 4]);
      expect(await store.outbox.pending(10)).toEqual([]);
      expect(await store.takeOrderStock('c1', 'e2', lines, now, rejected('x3'))).toEqual({
        outcome: 'rejected',
        product_id: 'a',
        available: 0,
        requested: 2,
      });
      expect((await store.get('b'))?.stock).toBe(4);
      expect(await store.takeOrderStock('c1', 'e2', lines, now, rejected('x4'))).toEqual({ outcome: 'duplicate' });
      expect(
        await store.takeOrderStock('c1', 'e3', [{ product_id: 'gone', quantity: 1 }], now, rejected('x5')),
      ).toMatchObject({ outcome: 'rejected', available: 0 });
      const queued = await store.outbox.pending(10);
      expect(queued.map((e) => e.event.id)).toEqual(['x3', 'x5']);
      expect(queued[0]!.event.data).toMatchObject({ paymentId: 'p1', productId: 'a', requested: 2 });
    });

    it('keeps stock at zero or above under concurrent orders', async () => {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          store.takeOrderStock('c1', `race-${i}`, [{ product_id: 'b', quantity: 1 }], now, rejected(`r-${i}`)),
        ),
      );
      expect(results.filter((r) => r.outcome === 'applied')).toHaveLength(5);
      expect((await store.get('b'))?.stock).toBe(0);
      expect(await store.outbox.pending(10)).toHaveLength(3);
    });
  });
}
