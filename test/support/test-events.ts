import type { CloudEvent } from '../../platform/define.ts';
import { cloudEvent } from '../../functions/events/topics.ts';

/** When test events are written, by default: the fixed clock of testDeps (function-deps.ts). */
export const EVENT_TIME = '2026-01-15T10:00:00.000Z';

/** The fixed clock of pipelines in tests (ms since the epoch): {@link EVENT_TIME}. */
export const testClock = (): number => Date.parse(EVENT_TIME);

/**
 * A `payment-completed` CloudEvent for tests, written at `time` (a test against a running shop,
 * whose clock is the real one, passes the current time).
 */
export function paymentCompleted(
  id: string,
  userId: string,
  items: { product_id: string; quantity: number }[],
  time = EVENT_TIME,
): CloudEvent {
  const lines = items.map((i) => ({
    ...i,
    name: i.product_id,
    unit_price: { amount_minor: 100, currency: 'USD' },
    line_total: { amount_minor: 100 * i.quantity, currency: 'USD' },
  }));
  const total = lines.reduce((n, l) => n + l.line_total.amount_minor, 0);
  return cloudEvent('payment-completed', {
    id,
    source: '/test',
    subject: `pay-${id}`,
    time,
    data: {
      payment_id: `pay-${id}`,
      order_id: `ord-${id}`,
      user_id: userId,
      amount: { amount_minor: total, currency: 'USD' },
      items: lines,
      completed_at: time,
    },
  });
}

/** A `stock-rejected` CloudEvent for tests, written at `time` (a second after {@link EVENT_TIME}). */
export function stockRejected(
  id: string,
  paymentId: string,
  productId = 'mug',
  time = '2026-01-15T10:00:01.000Z',
): CloudEvent {
  return cloudEvent('stock-rejected', {
    id,
    source: '/test',
    subject: paymentId,
    time,
    data: {
      payment_id: paymentId,
      order_id: 'o1',
      user_id: 'alice',
      product_id: productId,
      requested: 2,
      available: 1,
      rejected_at: time,
    },
  });
}
