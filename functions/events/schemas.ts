import * as v from 'valibot';
import { idSchema, intSchema, MAX_AMOUNT_MINOR } from '../../platform/validation.ts';
import { MAX_BASKET_LINES, MAX_LINE_QUANTITY } from '../basket/store.ts';

/** Money as it arrives in an event. */
const eventMoney = v.object({
  amount_minor: intSchema(0, MAX_AMOUNT_MINOR),
  currency: v.pipe(v.string(), v.regex(/^[A-Z]{3}$/)),
});

/** A line item as it arrives in an event. */
const eventLineItem = v.object({
  product_id: idSchema,
  name: v.string(),
  unit_price: eventMoney,
  quantity: intSchema(1, MAX_LINE_QUANTITY),
  line_total: eventMoney,
});

/** The data of a `payment-completed` event. */
export const paymentCompletedData = v.object({
  payment_id: idSchema,
  order_id: idSchema,
  user_id: idSchema,
  amount: eventMoney,
  // A paid order is a basket: never more lines than a basket holds.
  items: v.pipe(
    v.array(eventLineItem),
    v.minLength(1, 'must not be empty'),
    v.maxLength(MAX_BASKET_LINES, `must hold at most ${MAX_BASKET_LINES} lines`),
  ),
  completed_at: v.string(),
});

/** The data of a `payment-completed` event, validated. */
export type PaymentCompletedData = v.InferOutput<typeof paymentCompletedData>;

/** The data of a `stock-rejected` event. */
export const stockRejectedData = v.object({
  payment_id: idSchema,
  order_id: idSchema,
  user_id: idSchema,
  product_id: idSchema,
  requested: intSchema(1, 1_000_000),
  available: intSchema(0, 2_147_483_647),
  rejected_at: v.string(),
});
