import * as v from 'valibot';
import { defineFunction } from '../../platform/define.ts';
import { idSchema } from '../../platform/validation.ts';
import type { Deps } from '../deps.ts';
import { loadBasket } from './load-basket.ts';

/** Returns a user's basket at current prices (an empty basket if none). */
export default defineFunction({
  name: 'get-basket',
  needs: ['database', 'redis'],
  access: 'user',
  catalogCache: true,
  input: v.object({ user_id: idSchema }),
  handler: (d: Pick<Deps, 'baskets' | 'products' | 'currency'>) => async ({ user_id }) => loadBasket(d, user_id),
});
