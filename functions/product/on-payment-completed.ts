import { defineEventHandler } from '../definitions.ts';
import { stockRejections } from '../business-metrics.ts';
import { paymentCompletedData } from '../events/schemas.ts';
import { requireShopCurrency } from '../events/shop-currency.ts';
import { stockRejectedEvents } from './events.ts';
import type { StockLine } from './product.ts';

/** Sums the quantities of lines naming the same product. */
function mergeLines(items: StockLine[]): StockLine[] {
  const totals = new Map<string, number>();
  for (const i of items) totals.set(i.product_id, (totals.get(i.product_id) ?? 0) + i.quantity);
  return [...totals].map(([product_id, quantity]) => ({ product_id, quantity }));
}

/**
 * Takes a paid order's items from stock, all or nothing, exactly once per event. When stock
 * cannot serve the order (it sold out after the payment checked it), nothing is taken and
 * `stock-rejected` is published, in the same write, so that the payment is refunded.
 */
export default defineEventHandler({
  name: 'product/on-payment-completed',
  uses: ['products', 'now', 'newId', 'currency'],
  data: paymentCompletedData,
  publishes: ['stock-rejected'],
  handler: (d) => async (data, event, ctx) => {
    requireShopCurrency(data, d.currency);
    const now = d.now();
    const stockRejectedEvent = await stockRejectedEvents();
    const result = await d.products.takeOrderStock(ctx.handler, event.id, mergeLines(data.items), now, (s) =>
      stockRejectedEvent(data, s, d.newId(), now),
    );
    const fields = { payment_id: data.payment_id, order_id: data.order_id, ...result };
    if (result.outcome === 'rejected') {
      stockRejections.inc();
      ctx.log.warn(fields, 'paid order exceeds stock: nothing taken, stock-rejected published');
    } else ctx.log.info(fields, result.outcome === 'applied' ? 'order stock taken' : 'event already applied to stock');
  },
});
