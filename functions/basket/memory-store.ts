import { IDEMPOTENCY_TTL_MS, MAX_BASKET_LINES, MAX_LINE_QUANTITY, type BasketLine, type BasketStore } from './store.ts';
import { keyReused } from '../../platform/idempotency.ts';
import { requestOf } from './keyed-change.ts';

/** What a keyed change recorded: its request, the lines it left, and until when it is remembered. */
interface KeyRecord {
  request: string;
  lines: BasketLine[];
  until: number;
}

/** An in-memory basket store: the embedded default. `now` (ms) is the clock keys expire by. */
export function memoryBasketStore(now: () => number = Date.now): BasketStore {
  const baskets = new Map<string, Map<string, number>>();
  const applied = new Set<string>();
  // In insertion order, which is expiry order (one TTL): the expired ones are at the front.
  const keys = new Map<string, KeyRecord>();
  const lines = (userId: string): BasketLine[] =>
    [...(baskets.get(userId) ?? [])].map(([product_id, quantity]) => ({ product_id, quantity }));
  const remove = (userId: string, productId: string, quantity?: number) => {
    const basket = baskets.get(userId);
    const left = (basket?.get(productId) ?? 0) - (quantity ?? Infinity);
    if (left > 0) basket!.set(productId, left);
    else basket?.delete(productId);
    if (basket?.size === 0) baskets.delete(userId);
  };
  /** The recorded answer to a keyed request (a copy), undefined when the key is new; throws for another request. */
  const replay = (userId: string, key: string | undefined, request: string): BasketLine[] | undefined => {
    for (const [k, r] of keys) {
      if (r.until > now()) break;
      keys.delete(k);
    }
    const record = key === undefined ? undefined : keys.get(`${userId}:${key}`);
    if (!record) return undefined;
    if (record.request !== request) throw keyReused();
    return record.lines.map((l) => ({ ...l }));
  };
  /** The lines after a change, recorded under its key when it has one. */
  const answer = (userId: string, key: string | undefined, request: string): BasketLine[] => {
    const result = lines(userId);
    if (key !== undefined)
      keys.set(`${userId}:${key}`, { request, lines: lines(userId), until: now() + IDEMPOTENCY_TTL_MS });
    return result;
  };
  return {
    async get(userId) {
      return lines(userId);
    },
    async add(userId, productId, quantity, stock, key) {
      const request = requestOf('add', productId, quantity);
      const replayed = replay(userId, key, request);
      if (replayed) return replayed;
      const basket = baskets.get(userId) ?? new Map<string, number>();
      const inBasket = basket.get(productId) ?? 0;
      if (stock !== undefined) {
        // A refusal changes nothing and is not recorded: a retry with its key is decided again.
        if (inBasket + quantity > stock) return { refused: 'stock', inBasket };
        if (inBasket + quantity > MAX_LINE_QUANTITY) return { refused: 'line', inBasket };
        if (!inBasket && basket.size >= MAX_BASKET_LINES) return { refused: 'lines', inBasket };
      }
      basket.set(productId, inBasket + quantity);
      baskets.set(userId, basket);
      return answer(userId, key, request);
    },
    async remove(userId, productId, quantity, key) {
      const request = requestOf('remove', productId, quantity);
      const replayed = replay(userId, key, request);
      if (replayed) return replayed;
      remove(userId, productId, quantity);
      return answer(userId, key, request);
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
