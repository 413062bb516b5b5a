import * as v from 'valibot';
import { defineFunction } from '../../platform/define.ts';
import { notFound } from '../../platform/errors.ts';
import { idSchema } from '../../platform/validation.ts';
import type { Deps } from '../deps.ts';

/** Returns one product. */
export default defineFunction({
  name: 'get-product',
  needs: ['database'],
  access: 'public',
  input: v.object({ id: idSchema }),
  handler: (d: Pick<Deps, 'products'>) => async ({ id }) => (await d.products.get(id)) ?? Promise.reject(notFound('product', id)),
});
