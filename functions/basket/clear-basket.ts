import * as v from 'valibot';
import { defineFunction } from '../../platform/define.ts';
import { idSchema } from '../../platform/validation.ts';
import type { Deps } from '../deps.ts';

/** Empties a user's basket. */
export default defineFunction({
  name: 'clear-basket',
  needs: ['redis'],
  access: 'user',
  input: v.object({ user_id: idSchema }),
  handler: (d: Pick<Deps, 'baskets'>) => async ({ user_id }): Promise<void> => d.baskets.clear(user_id),
});
