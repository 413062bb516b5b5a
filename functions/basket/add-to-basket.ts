import * as v from 'valibot';
import { defineFunction } from '../definitions.ts';
import { notFound, ShopError } from '../../platform/errors.ts';
import { idSchema, intSchema } from '../../platform/validation.ts';
import { loadBasket } from './load-basket.ts';
import { MAX_BASKET_LINES, MAX_LINE_QUANTITY } from './store.ts';

/** Adds units of a product to a user's basket; never more than the stock, nor more than MAX_BASKET_LINES products. */
export default defineFunction({
  name: 'add-to-basket',
  uses: ['baskets', 'products', 'currency'],
  access: 'user',
  catalogCache: true,
  input: v.object({ user_id: idSchema, product_id: idSchema, quantity: intSchema(1, MAX_LINE_QUANTITY) }),
  handler:
    (d) =>
    async ({ user_id, product_id, quantity }) => {
      // Side by side: the product and the basket; then the write and the other lines' products.
      const [product, before] = await Promise.all([d.products.get(product_id), d.baskets.get(user_id)]);
      if (!product) throw notFound('product', product_id);
      const inBasket = before.find((l) => l.product_id === product_id)?.quantity ?? 0;
      const wanted = inBasket + quantity;
      if (wanted > product.stock) {
        throw new ShopError(
          'insufficient_stock',
          `only ${product.stock} of product ${product_id} in stock, the basket would hold ${wanted}`,
        );
      }
      if (wanted > MAX_LINE_QUANTITY)
        throw new ShopError('conflict', `a basket holds at most ${MAX_LINE_QUANTITY} units of one product`);
      if (!inBasket && before.length >= MAX_BASKET_LINES)
        throw new ShopError('conflict', `a basket holds at most ${MAX_BASKET_LINES} products`);
      const others = before.filter((l) => l.product_id !== product_id).map((l) => l.product_id);
      const [lines, priced] = await Promise.all([
        d.baskets.add(user_id, product_id, quantity),
        others.length ? d.products.getMany(others) : [],
      ]);
      return loadBasket(d, user_id, lines, [product, ...priced]);
    },
});
