import * as v from 'valibot';
import { defineFunction } from '../../platform/define.ts';
import { notFound } from '../../platform/errors.ts';
import { idSchema } from '../../platform/validation.ts';
import type { Deps } from '../deps.ts';

/** Removes a product from the catalog (admin). */
export default defineFunction({
  name: 'delete-product',
  needs: ['database'],
  access: 'admin',
  input: v.object({ id: idSchema }),
  handler: (d: Pick<Deps, 'products'>) => async ({ id }): Promise<void> => {
    if (!(await d.products.delete(id))) throw notFound('product', id);
  },
});
