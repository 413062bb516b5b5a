import { invalid } from '../../platform/errors.ts';
import type { PaymentCompletedData } from './schemas.ts';

/**
 * Refuses a paid order in another currency than the shop's: no price of this shop made it, so
 * the event is forged or from another shop (dead-lettered, never applied).
 */
export function requireShopCurrency(order: PaymentCompletedData, currency: string): void {
  const moneys = [order.amount, ...order.items.flatMap((i) => [i.unit_price, i.line_total])];
  const foreign = moneys.find((m) => m.currency !== currency);
  if (foreign) throw invalid('amount', `the order is in ${foreign.currency}, not in the shop's currency ${currency}`);
}
