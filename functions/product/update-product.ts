import * as v from 'valibot';
import { defineFunction } from '../definitions.ts';
import { invalid, notFound } from '../../platform/errors.ts';
import { idSchema } from '../../platform/validation.ts';
import { productFields } from './schemas.ts';

/** Changes the given fields of a product (admin); stock changes go through adjust-stock. */
export default defineFunction({
  name: 'update-product',
  uses: ['products', 'now', 'currency'],
  access: 'admin',
  input: v.object({
    id: idSchema,
    name: v.optional(productFields.name),
    description: v.optional(productFields.description),
    category: v.optional(productFields.category),
    price: v.optional(productFields.price),
  }),
  handler:
    (d) =>
    async ({ id, ...patch }) => {
      if (Object.values(patch).every((x) => x === undefined))
        throw invalid('body', 'give at least one of name, description, category, price');
      if (patch.price && patch.price.currency !== d.currency)
        throw invalid('price.currency', `must be ${d.currency}, the shop's currency`);
      return (await d.products.update(id, patch, d.now())) ?? Promise.reject(notFound('product', id));
    },
});
