import * as v from 'valibot';
import { textSchema } from '../../platform/validation.ts';
import { luhn } from './card.ts';

/** Card details as sent to pay; spaces and dashes in the number are ignored. */
export const cardSchema = v.object(
  {
    number: v.pipe(
      v.string('must be a string'),
      v.transform((s) => s.replace(/[ -]/g, '')),
      v.regex(/^\d{12,19}$/, 'must be 12 to 19 digits'),
      v.check(luhn, 'is not a valid card number (Luhn check failed)'),
    ),
    holder: textSchema(100),
    expiry: v.pipe(v.string('must be a string'), v.regex(/^(0[1-9]|1[0-2])\/\d{2}$/, 'must be MM/YY')),
    cvv: v.pipe(v.string('must be a string'), v.regex(/^\d{3,4}$/, 'must be 3 or 4 digits')),
  },
  'must be an object {"number", "holder", "expiry", "cvv"}',
);
