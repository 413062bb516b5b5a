import * as v from 'valibot';
import { defineFunction } from '../definitions.ts';
import { idSchema, intSchema } from '../../platform/validation.ts';
import { loadBasket } from './load-basket.ts';
import { MAX_LINE_QUANTITY } from './store.ts';

/** Removes units of a product from a basket, or the whole line when no quantity is given. */
export default defineFunction({
  name: 'remove-from-basket',
  uses: ['baskets', 'products', 'currency'],
  access: 'user',
  catalogCache: true,
  input: v.object({ user_id: idSchema, product_id: idSchema, quantity: v.optional(intSchema(1, MAX_LINE_QUANTITY)) }),
  handler:
    (d) =>
    async ({ user_id, product_id, quantity }) =>
      loadBasket(d, user_id, await d.baskets.remove(user_id, product_id, quantity)),
});
