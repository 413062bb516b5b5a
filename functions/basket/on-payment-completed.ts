import { defineEventHandler } from '../definitions.ts';
import { paymentCompletedData } from '../events/schemas.ts';
import { requireShopCurrency } from '../events/shop-currency.ts';

/**
 * Takes what the user just paid for out of their basket, once per event (a redelivered event
 * changes nothing; items added after paying stay).
 */
export default defineEventHandler({
  name: 'basket/on-payment-completed',
  uses: ['baskets', 'currency'],
  data: paymentCompletedData,
  handler: (d) => async (data, event, ctx) => {
    requireShopCurrency(data, d.currency);
    const applied = await d.baskets.checkout(data.user_id, event.id, data.items);
    ctx.log.info(
      { user_id: data.user_id, payment_id: data.payment_id, applied },
      applied ? 'paid items taken out of the basket' : 'event already applied to the basket',
    );
  },
});
