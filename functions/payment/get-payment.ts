import * as v from 'valibot';
import { requireUser } from '../../platform/auth.ts';
import { defineFunction } from '../definitions.ts';
import { notFound } from '../../platform/errors.ts';
import { idSchema } from '../../platform/validation.ts';

/** Returns one payment, to its payer (or an admin). */
export default defineFunction({
  name: 'get-payment',
  uses: ['payments'],
  access: 'user',
  input: v.object({ id: idSchema }),
  handler:
    (d) =>
    async ({ id }, ctx) => {
      const payment = await d.payments.get(id);
      if (!payment) throw notFound('payment', id);
      requireUser(ctx.caller, payment.user_id);
      return payment;
    },
});
