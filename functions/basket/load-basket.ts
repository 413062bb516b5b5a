import type { Deps } from '../deps.ts';
import { priceBasket, type Basket } from './price.ts';
import type { BasketLine } from './store.ts';

/** Prices a user's lines (read now, or just written) with the current catalog. */
export async function loadBasket(d: Pick<Deps, 'baskets' | 'products' | 'currency'>, userId: string, lines?: BasketLine[]): Promise<Basket> {
  const current = lines ?? (await d.baskets.get(userId));
  const products = await d.products.getMany(current.map((l) => l.product_id));
  return priceBasket(userId, current, products, d.currency);
}
