import { defineEventHandler } from '../../platform/define.ts';
import type { Deps } from '../deps.ts';
import { paymentCompletedData } from '../events/schemas.ts';
import type { StockLine } from './product.ts';

/** Sums the quantities of lines naming the same product. */
function mergeLines(items: StockLine[]): StockLine[] {
  const totals = new Map<string, number>();
  for (const i of items) totals.set(i.product_id, (totals.get(i.product_id) ?? 0) + i.quantity);
  return [...totals].map(([product_id, quantity]) => ({ product_id, quantity }));
}

/** Takes a paid order's items from stock, exactly once per event. */
export default defineEventHandler({
  name: 'product/on-payment-completed',
  topic: 'payment-completed',
  data: paymentCompletedData,
  handler: (d: Pick<Deps, 'products' | 'now'>) => async (data, event, ctx) => {
    const result = await d.products.takeOrderStock('product/on-payment-completed', event.id, mergeLines(data.items), d.now());
    const fields = { payment_id: data.payment_id, order_id: data.order_id, ...result };
    if (result.outcome === 'rejected') ctx.log.error(fields, 'paid order exceeds stock: nothing taken from stock');
    else ctx.log.info(fields, 'order stock taken');
  },
});
