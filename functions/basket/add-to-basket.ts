import * as v from 'valibot';
import { defineFunction } from '../definitions.ts';
import { notFound, ShopError } from '../../platform/errors.ts';
import { bodyWithIdempotencyKey } from '../../platform/rest.ts';
import { idSchema, intSchema, optionalIdempotencyKey } from '../../platform/validation.ts';
import { loadBasket } from './load-basket.ts';
import { MAX_BASKET_LINES, MAX_LINE_QUANTITY } from './store.ts';

/** Adds units of a product to a user's basket; never more than the stock, nor more than MAX_BASKET_LINES products. */
export default defineFunction({
  name: 'add-to-basket',
  uses: ['baskets', 'products', 'currency', 'crash'],
  access: 'user',
  catalogCache: true,
  input: v.object({
    user_id: idSchema,
    product_id: idSchema,
    quantity: intSchema(1, MAX_LINE_QUANTITY),
    idempotency_key: optionalIdempotencyKey(
      'A retry with the same key answers the basket of the first add and adds nothing more (REST: the Idempotency-Key header).',
    ),
  }),
  restInput: bodyWithIdempotencyKey,
  handler:
    (d) =>
    async ({ user_id, product_id, quantity, idempotency_key }) => {
      // The product (the catalog cache), then one atomic change that checks the bounds and writes
      // (with the key's record: a retry answers the lines of the first add, priced now).
      const product = await d.products.get(product_id);
      if (!product) throw notFound('product', product_id);
      const added = await d.baskets.add(user_id, product_id, quantity, product.stock, idempotency_key || undefined);
      if (Array.isArray(added)) {
        d.crash('add-to-basket.after-add');
        return loadBasket(d, user_id, added, [product]);
      }
      const wanted = added.inBasket + quantity;
      if (added.refused === 'stock')
        throw new ShopError(
          'insufficient_stock',
          `only ${product.stock} of product ${product_id} in stock, the basket would hold ${wanted}`,
        );
      if (added.refused === 'line')
        throw new ShopError('conflict', `a basket holds at most ${MAX_LINE_QUANTITY} units of one product`);
      throw new ShopError('conflict', `a basket holds at most ${MAX_BASKET_LINES} products`);
    },
});
