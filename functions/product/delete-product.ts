import * as v from 'valibot';
import { defineFunction } from '../definitions.ts';
import { notFound } from '../../platform/errors.ts';
import { idSchema } from '../../platform/validation.ts';

/** Removes a product from the catalog (admin). */
export default defineFunction({
  name: 'delete-product',
  uses: ['products'],
  access: 'admin',
  input: v.object({ id: idSchema }),
  handler:
    (d) =>
    async ({ id }): Promise<void> => {
      if (!(await d.products.delete(id))) throw notFound('product', id);
    },
});
