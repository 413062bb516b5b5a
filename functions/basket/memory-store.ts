import { MAX_BASKET_LINES, MAX_LINE_QUANTITY, type BasketLine, type BasketStore } from './store.ts';

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
    async add(userId, productId, quantity, stock) {
      const basket = baskets.get(userId) ?? new Map<string, number>();
      const inBasket = basket.get(productId) ?? 0;
      if (stock !== undefined) {
        if (inBasket + quantity > stock) return { refused: 'stock', inBasket };
        if (inBasket + quantity > MAX_LINE_QUANTITY) return { refused: 'line', inBasket };
        if (!inBasket && basket.size >= MAX_BASKET_LINES) return { refused: 'lines', inBasket };
      }
      basket.set(productId, inBasket + quantity);
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
