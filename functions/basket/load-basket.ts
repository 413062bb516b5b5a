import type { Deps } from '../deps.ts';
import { priceBasket, type Basket } from './price.ts';
import type { Product } from '../product/product.ts';
import type { BasketLine } from './store.ts';

/**
 * Prices a user's lines (read now, or just written) with the current catalog; products the
 * caller read already (`known`) are not read again.
 */
export async function loadBasket(
  d: Pick<Deps, 'baskets' | 'products' | 'currency'>,
  userId: string,
  lines?: BasketLine[],
  known: Product[] = [],
): Promise<Basket> {
  const current = lines ?? (await d.baskets.get(userId));
  const have = new Set(known.map((p) => p.id));
  const missing = current.map((l) => l.product_id).filter((id) => !have.has(id));
  const products = missing.length ? [...known, ...(await d.products.getMany(missing))] : known;
  return priceBasket(userId, current, products, d.currency);
}
