import * as v from 'valibot';
import { defineFunction } from '../definitions.ts';
import { invalid } from '../../platform/errors.ts';
import { productFields } from './schemas.ts';

/** Adds a product to the catalog (admin). */
export default defineFunction({
  name: 'create-product',
  uses: ['products', 'now', 'newId', 'currency'],
  access: 'admin',
  input: v.object({
    name: productFields.name,
    description: v.optional(productFields.description, ''),
    category: productFields.category,
    price: productFields.price,
    stock: v.optional(productFields.stock, 0),
  }),
  restStatus: () => 201,
  handler: (d) => async (input) => {
    if (input.price.currency !== d.currency)
      throw invalid('price.currency', `must be ${d.currency}, the shop's currency`);
    const now = d.now();
    const product = { id: d.newId(), ...input, created_at: now, updated_at: now };
    await d.products.insert([product]);
    return product;
  },
});
