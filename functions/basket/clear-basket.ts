import * as v from 'valibot';
import { defineFunction } from '../definitions.ts';
import { idSchema } from '../../platform/validation.ts';

/** Empties a user's basket. */
export default defineFunction({
  name: 'clear-basket',
  uses: ['baskets'],
  access: 'user',
  input: v.object({ user_id: idSchema }),
  handler:
    (d) =>
    async ({ user_id }): Promise<void> =>
      d.baskets.clear(user_id),
});
