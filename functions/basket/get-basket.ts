import * as v from 'valibot';
import { defineFunction } from '../definitions.ts';
import { idSchema } from '../../platform/validation.ts';
import { loadBasket } from './load-basket.ts';

/** Returns a user's basket at current prices (an empty basket if none). */
export default defineFunction({
  name: 'get-basket',
  uses: ['baskets', 'products', 'currency'],
  access: 'user',
  catalogCache: true,
  input: v.object({ user_id: idSchema }),
  handler:
    (d) =>
    async ({ user_id }) =>
      loadBasket(d, user_id),
});
