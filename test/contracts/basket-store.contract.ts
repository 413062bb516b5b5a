import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_BASKET_LINES, MAX_LINE_QUANTITY, type BasketStore } from '../../functions/basket/store.ts';

const reused = { code: 'idempotency_key_reused', status: 422 };

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
      expect(await store.add('u1', 'b', 3)).toEqual([
        { product_id: 'b', quantity: 4 },
        { product_id: 'a', quantity: 2 },
      ]);
    });

    it('removes units, or the whole line, and forgets an emptied basket', async () => {
      await store.add('u1', 'a', 3);
      await store.add('u1', 'b', 1);
      expect(await store.remove('u1', 'a', 1)).toEqual([
        { product_id: 'a', quantity: 2 },
        { product_id: 'b', quantity: 1 },
      ]);
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

    it('takes paid units out once per payment event, keeping what was added since', async () => {
      await store.add('u4', 'a', 3);
      await store.add('u4', 'b', 1);
      await store.add('u4', 'c', 2);
      const paid = [
        { product_id: 'a', quantity: 2 },
        { product_id: 'b', quantity: 1 },
        { product_id: 'gone', quantity: 1 },
      ];
      expect(await store.checkout('u4', 'ev1', paid)).toBe(true);
      expect(await store.get('u4')).toEqual([
        { product_id: 'a', quantity: 1 },
        { product_id: 'c', quantity: 2 },
      ]);
      expect(await store.checkout('u4', 'ev1', paid)).toBe(false);
      expect(await store.get('u4')).toEqual([
        { product_id: 'a', quantity: 1 },
        { product_id: 'c', quantity: 2 },
      ]);
      expect(
        await store.checkout('u4', 'ev2', [
          { product_id: 'a', quantity: 1 },
          { product_id: 'c', quantity: 2 },
        ]),
      ).toBe(true);
      expect(await store.get('u4')).toEqual([]);
    });

    it('remembers an event applied to an empty basket, so a repeat leaves a new basket alone', async () => {
      expect(await store.checkout('u5', 'ev3', [{ product_id: 'a', quantity: 1 }])).toBe(true);
      await store.add('u5', 'a', 1);
      expect(await store.checkout('u5', 'ev3', [{ product_id: 'a', quantity: 1 }])).toBe(false);
      expect(await store.get('u5')).toEqual([{ product_id: 'a', quantity: 1 }]);
    });

    it('applies an event once under concurrent deliveries', async () => {
      await store.add('u6', 'a', 5);
      const results = await Promise.all(
        Array.from({ length: 5 }, () => store.checkout('u6', 'ev4', [{ product_id: 'a', quantity: 2 }])),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.get('u6')).toEqual([{ product_id: 'a', quantity: 3 }]);
    });

    it('refuses an add past the stock or the line bound, changing nothing, and says what the basket holds', async () => {
      await store.add('u7', 'a', 2, 5);
      expect(await store.add('u7', 'a', 4, 5)).toEqual({ refused: 'stock', inBasket: 2 });
      expect(await store.add('u7', 'b', 6, 5)).toEqual({ refused: 'stock', inBasket: 0 });
      expect(await store.add('u7', 'a', MAX_LINE_QUANTITY - 1, 10_000)).toEqual({ refused: 'line', inBasket: 2 });
      expect(await store.get('u7')).toEqual([{ product_id: 'a', quantity: 2 }]);
      expect(await store.add('u7', 'a', 3, 5)).toEqual([{ product_id: 'a', quantity: 5 }]);
    });

    it('refuses a product past the most lines, still adding to a line it holds', async () => {
      for (let i = 0; i < MAX_BASKET_LINES; i++) await store.add('u8', `p${i}`, 1);
      expect(await store.add('u8', 'one-more', 1, 10)).toEqual({ refused: 'lines', inBasket: 0 });
      expect(await store.add('u8', 'p0', 1, 10)).toHaveLength(MAX_BASKET_LINES);
      expect((await store.get('u8')).find((l) => l.product_id === 'p0')).toEqual({ product_id: 'p0', quantity: 2 });
    });

    it('never passes the stock under concurrent bounded adds', async () => {
      const added = await Promise.all(Array.from({ length: 20 }, () => store.add('u9', 'a', 1, 5)));
      expect(added.filter(Array.isArray)).toHaveLength(5);
      expect(await store.get('u9')).toEqual([{ product_id: 'a', quantity: 5 }]);
    });

    it('loses no unit under concurrent adds', async () => {
      await Promise.all(Array.from({ length: 20 }, () => store.add('u3', 'a', 1)));
      expect(await store.get('u3')).toEqual([{ product_id: 'a', quantity: 20 }]);
    });

    it('answers a retry of an add with its Idempotency-Key as the first add did, adding nothing more', async () => {
      expect(await store.add('k1', 'a', 2, 10, 'key-1')).toEqual([{ product_id: 'a', quantity: 2 }]);
      await store.add('k1', 'b', 1);
      expect(await store.add('k1', 'a', 2, 10, 'key-1')).toEqual([{ product_id: 'a', quantity: 2 }]);
      expect(await store.add('k1', 'a', 2, undefined, 'key-1')).toEqual([{ product_id: 'a', quantity: 2 }]);
      expect(await store.get('k1')).toEqual([
        { product_id: 'a', quantity: 2 },
        { product_id: 'b', quantity: 1 },
      ]);
    });

    it('refuses a key used with another request (product, quantity or a remove) with a 422, changing nothing', async () => {
      await store.add('k2', 'a', 2, undefined, 'key-1');
      await expect(store.add('k2', 'a', 3, undefined, 'key-1')).rejects.toMatchObject(reused);
      await expect(store.add('k2', 'b', 2, 10, 'key-1')).rejects.toMatchObject(reused);
      await expect(store.remove('k2', 'a', 2, 'key-1')).rejects.toMatchObject(reused);
      expect(await store.get('k2')).toEqual([{ product_id: 'a', quantity: 2 }]);
    });

    it("keeps each user's keys apart: another user's change with the same key applies", async () => {
      await store.add('k3a', 'a', 1, undefined, 'shared');
      expect(await store.add('k3b', 'b', 2, undefined, 'shared')).toEqual([{ product_id: 'b', quantity: 2 }]);
      expect(await store.add('k3a', 'a', 1, undefined, 'shared')).toEqual([{ product_id: 'a', quantity: 1 }]);
      expect(await store.get('k3a')).toEqual([{ product_id: 'a', quantity: 1 }]);
      expect(await store.get('k3b')).toEqual([{ product_id: 'b', quantity: 2 }]);
    });

    it('answers a retry of a remove as the first remove did, removing nothing more', async () => {
      await store.add('k4', 'a', 5);
      expect(await store.remove('k4', 'a', 2, 'r1')).toEqual([{ product_id: 'a', quantity: 3 }]);
      expect(await store.remove('k4', 'a', 2, 'r1')).toEqual([{ product_id: 'a', quantity: 3 }]);
      expect(await store.remove('k4', 'a', undefined, 'r2')).toEqual([]);
      await store.add('k4', 'a', 1);
      expect(await store.remove('k4', 'a', undefined, 'r2')).toEqual([]);
      await expect(store.remove('k4', 'a', 1, 'r2')).rejects.toMatchObject(reused);
      expect(await store.get('k4')).toEqual([{ product_id: 'a', quantity: 1 }]);
    });

    it('applies concurrent adds with one key once, answering each the same', async () => {
      const answers = await Promise.all(Array.from({ length: 20 }, () => store.add('k5', 'a', 1, 100, 'once')));
      for (const answer of answers) expect(answer).toEqual([{ product_id: 'a', quantity: 1 }]);
      expect(await store.get('k5')).toEqual([{ product_id: 'a', quantity: 1 }]);
    });

    it('records no refused add under its key: a retry is decided again', async () => {
      expect(await store.add('k6', 'a', 3, 2, 'key-1')).toEqual({ refused: 'stock', inBasket: 0 });
      expect(await store.add('k6', 'a', 3, 5, 'key-1')).toEqual([{ product_id: 'a', quantity: 3 }]);
      expect(await store.add('k6', 'a', 3, 5, 'key-1')).toEqual([{ product_id: 'a', quantity: 3 }]);
    });
  });
}
