import * as v from 'valibot';
import { intSchema, MAX_AMOUNT_MINOR, textSchema } from '../../platform/validation.ts';

/** Product fields as clients send them. */
export const productFields = {
  name: textSchema(200),
  description: textSchema(2000, 0),
  category: v.pipe(
    textSchema(64),
    v.regex(/^[\p{L}\p{N} _&-]+$/u, 'may contain only letters, digits, spaces and _ & -'),
  ),
  price: v.object(
    {
      amount_minor: intSchema(0, MAX_AMOUNT_MINOR),
      currency: v.pipe(v.string('must be a string'), v.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')),
    },
    'must be an object {"amount_minor", "currency"}',
  ),
  stock: intSchema(0, 1_000_000),
};
