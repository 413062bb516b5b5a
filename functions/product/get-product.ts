import * as v from 'valibot';
import { defineFunction } from '../definitions.ts';
import { notFound } from '../../platform/errors.ts';
import { idSchema } from '../../platform/validation.ts';

/** Returns one product. */
export default defineFunction({
  name: 'get-product',
  uses: ['products'],
  access: 'public',
  input: v.object({ id: idSchema }),
  handler:
    (d) =>
    async ({ id }) =>
      (await d.products.get(id)) ?? Promise.reject(notFound('product', id)),
});
