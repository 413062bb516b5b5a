import type { BasketLine, BasketStore } from './store.ts';

/** An in-memory basket store: the embedded default. */
export function memoryBasketStore(): BasketStore {
  const baskets = new Map<string, Map<string, number>>();
  const applied = new Set<string>();
  const lines = (userId: string): BasketLine[] =>
    [...(baskets.get(userId) ?? [])].map(([product_id, quantity]) => ({ product_id, quantity }));
  const remove = (userId: string, productId: string, quantity?: number) => {
    const basket = baskets.get(userId);
    const left = (basket?.get(productId) ?? 0) - (quantity ?? Infinity);
    if (left > 0) basket!.set(productId, left);
    else basket?.delete(productId);
    if (basket?.size === 0) baskets.delete(userId);
  };
  return {
    async get(userId) {
      return lines(userId);
    },
    async add(userId, productId, quantity) {
      const basket = baskets.get(userId) ?? new Map<string, number>();
      basket.set(productId, (basket.get(productId) ?? 0) + quantity);
      baskets.set(userId, basket);
      return lines(userId);
    },
    async remove(userId, productId, quantity) {
      remove(userId, productId, quantity);
      return lines(userId);
    },
    async clear(userId) {
      baskets.delete(userId);
    },
    async checkout(userId, eventId, paid) {
      if (applied.has(eventId)) return false;
      applied.add(eventId);
      for (const line of paid) remove(userId, line.product_id, line.quantity);
      return true;
    },
  };
}
