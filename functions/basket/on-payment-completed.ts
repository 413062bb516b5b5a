import { defineEventHandler } from '../../platform/define.ts';
import type { Deps } from '../deps.ts';
import { paymentCompletedData } from '../events/schemas.ts';

/** Clears the basket of the user who just paid. */
export default defineEventHandler({
  name: 'basket/on-payment-completed',
  topic: 'payment-completed',
  data: paymentCompletedData,
  handler: (d: Pick<Deps, 'baskets'>) => async (data, _event, ctx) => {
    await d.baskets.clear(data.user_id);
    ctx.log.info({ user_id: data.user_id, payment_id: data.payment_id }, 'basket cleared after payment');
  },
});
