import * as v from 'valibot';
import { defineFunction } from '../definitions.ts';
import { invalid } from '../../platform/errors.ts';
import { idSchema, intSchema } from '../../platform/validation.ts';

/** Adds units to (or removes them from) a product's stock; stock never goes below zero (admin). */
export default defineFunction({
  name: 'adjust-stock',
  uses: ['products', 'now'],
  access: 'admin',
  input: v.object({ id: idSchema, delta: intSchema(-1_000_000, 1_000_000) }),
  handler:
    (d) =>
    async ({ id, delta }) => {
      if (delta === 0) throw invalid('delta', 'must not be zero');
      return d.products.adjustStock(id, delta, d.now());
    },
});
