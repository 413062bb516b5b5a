import * as v from 'valibot';
import { defineFunction } from '../definitions.ts';
import { intSchema } from '../../platform/validation.ts';
import { productFields } from './schemas.ts';

/** Lists the catalog, optionally by category, a page at a time. */
export default defineFunction({
  name: 'list-products',
  uses: ['products'],
  access: 'public',
  catalogCache: true,
  input: v.object({
    category: v.optional(productFields.category),
    limit: v.optional(intSchema(1, 100), 20),
    offset: v.optional(intSchema(0, 1_000_000), 0),
  }),
  restInput: ({ query }) => query,
  handler: (d) => async (input) => d.products.list(input),
});
