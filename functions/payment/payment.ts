import type { Money } from '../../platform/money.ts';
import type { LineItem } from '../basket/price.ts';

/** Where a payment stands. */
export type PaymentStatus = 'pending' | 'completed' | 'failed' | 'refunded' | 'partially_refunded';

/** A payment as the REST API shows it; card data is brand and last four digits only. */
export interface Payment {
  id: string;
  order_id: string;
  user_id: string;
  status: PaymentStatus;
  amount: Money;
  items: LineItem[];
  card: { brand: string; last4: string };
  refunded: Money;
  created_at: string;
  failure_reason: string;
  /** Why it was last refunded; empty when it never was. */
  refund_reason: string;
}
