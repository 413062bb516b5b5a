import { money, sum, times } from '../../platform/money.ts';
import type { Money } from '../../platform/money.ts';
import type { Product } from '../product/product.ts';
import type { BasketLine } from './store.ts';

/** A priced line of a basket or payment. */
export interface LineItem {
  product_id: string;
  name: string;
  unit_price: Money;
  quantity: number;
  line_total: Money;
}

/** A user's basket priced at current catalog prices. */
export interface Basket {
  user_id: string;
  items: LineItem[];
  total: Money;
}

/** Prices lines at the products' current prices; lines whose product no longer exists are left out. */
export function priceBasket(userId: string, lines: BasketLine[], products: Product[], currency: string): Basket {
  const byId = new Map(products.map((p) => [p.id, p]));
  const items = lines.flatMap((line): LineItem[] => {
    const p = byId.get(line.product_id);
    return p
      ? [
          {
            product_id: p.id,
            name: p.name,
            unit_price: p.price,
            quantity: line.quantity,
            line_total: times(p.price, line.quantity),
          },
        ]
      : [];
  });
  return {
    user_id: userId,
    items,
    total: items.length
      ? sum(
          items.map((i) => i.line_total),
          currency,
        )
      : money(0, currency),
  };
}
