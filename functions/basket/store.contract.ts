import { beforeEach, describe, expect, it } from 'vitest';
import type { BasketStore } from './store.ts';

/** The behaviour every BasketStore adapter must have. */
export function basketStoreContract(adapter: string, make: () => Promise<BasketStore>, enabled = true) {
  describe.runIf(enabled)(`BasketStore contract: ${adapter}`, () => {
    let store: BasketStore;
    beforeEach(async () => {
      store = await make();
    });

    it('answers no lines for an unknown user', async () => {
      expect(await store.get('nobody')).toEqual([]);
    });

    it('adds to lines in first-added order, and returns the new lines', async () => {
      await store.add('u1', 'b', 1);
      await store.add('u1', 'a', 2);
      expect(await store.add('u1', 'b', 3)).toEqual([{ product_id: 'b', quantity: 4 }, { product_id: 'a', quantity: 2 }]);
    });

    it('removes units, or the whole line, and forgets an emptied basket', async () => {
      await store.add('u1', 'a', 3);
      await store.add('u1', 'b', 1);
      expect(await store.remove('u1', 'a', 1)).toEqual([{ product_id: 'a', quantity: 2 }, { product_id: 'b', quantity: 1 }]);
      expect(await store.remove('u1', 'a')).toEqual([{ product_id: 'b', quantity: 1 }]);
      expect(await store.remove('u1', 'b', 9)).toEqual([]);
      expect(await store.remove('u1', 'zzz')).toEqual([]);
    });

    it("clears one user's basket only", async () => {
      await store.add('u1', 'a', 1);
      await store.add('u2', 'a', 1);
      await store.clear('u1');
      expect(await store.get('u1')).toEqual([]);
      expect(await store.get('u2')).toEqual([{ product_id: 'a', quantity: 1 }]);
    });

    it('loses no unit under concurrent adds', async () => {
      await Promise.all(Array.from({ length: 20 }, () => store.add('u3', 'a', 1)));
      expect(await store.get('u3')).toEqual([{ product_id: 'a', quantity: 20 }]);
    });
  });
}
