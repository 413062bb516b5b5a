import * as v from 'valibot';
import { defineFunction } from '../definitions.ts';
import { bodyWithIdempotencyKey } from '../../platform/rest.ts';
import { idSchema, intSchema, optionalIdempotencyKey } from '../../platform/validation.ts';
import { loadBasket } from './load-basket.ts';
import { MAX_LINE_QUANTITY } from './store.ts';

/** Removes units of a product from a basket, or the whole line when no quantity is given. */
export default defineFunction({
  name: 'remove-from-basket',
  uses: ['baskets', 'products', 'currency', 'crash'],
  access: 'user',
  catalogCache: true,
  input: v.object({
    user_id: idSchema,
    product_id: idSchema,
    quantity: v.optional(intSchema(1, MAX_LINE_QUANTITY)),
    idempotency_key: optionalIdempotencyKey(
      'A retry with the same key answers the basket of the first removal and removes nothing more (REST: the Idempotency-Key header).',
    ),
  }),
  restInput: bodyWithIdempotencyKey,
  handler:
    (d) =>
    async ({ user_id, product_id, quantity, idempotency_key }) => {
      const lines = await d.baskets.remove(user_id, product_id, quantity, idempotency_key || undefined);
      d.crash('remove-from-basket.after-remove');
      return loadBasket(d, user_id, lines);
    },
});
