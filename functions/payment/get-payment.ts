import * as v from 'valibot';
import { defineFunction } from '../../platform/define.ts';
import { notFound } from '../../platform/errors.ts';
import { idSchema } from '../../platform/validation.ts';
import type { Deps } from '../deps.ts';

/** Returns one payment. */
export default defineFunction({
  name: 'get-payment',
  needs: ['database'],
  access: 'public',
  input: v.object({ id: idSchema }),
  handler: (d: Pick<Deps, 'payments'>) => async ({ id }) => (await d.payments.get(id)) ?? Promise.reject(notFound('payment', id)),
});
