import { Counter } from 'prom-client';
import { registry } from '../platform/metrics.ts';

/** Payments by the status they reached (completed, failed, refunded, partially_refunded). */
export const paymentsByStatus = new Counter({
  name: 'shop_payments_total',
  help: 'Payments that reached a status: completed, failed (declined), refunded, partially_refunded',
  labelNames: ['status'] as const,
  registers: [registry],
});

/** Paid orders that stock could not serve (each then refunded by the saga). */
export const stockRejections = new Counter({
  name: 'shop_stock_rejections_total',
  help: 'Paid orders that stock could not serve; the saga refunds each',
  registers: [registry],
});
