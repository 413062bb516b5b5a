import addToBasket from './basket/add-to-basket.ts';
import clearBasket from './basket/clear-basket.ts';
import getBasket from './basket/get-basket.ts';
import basketOnPaymentCompleted from './basket/on-payment-completed.ts';
import removeFromBasket from './basket/remove-from-basket.ts';
import type { Definition, Definitions } from './definitions.ts';
import getPayment from './payment/get-payment.ts';
import paymentOnStockRejected from './payment/on-stock-rejected.ts';
import processPayment from './payment/process-payment.ts';
import reconcilePayments from './payment/reconcile-payments.ts';
import refundPayment from './payment/refund-payment.ts';
import adjustStock from './product/adjust-stock.ts';
import createProduct from './product/create-product.ts';
import deleteProduct from './product/delete-product.ts';
import getProduct from './product/get-product.ts';
import listProducts from './product/list-products.ts';
import productOnPaymentCompleted from './product/on-payment-completed.ts';
import updateProduct from './product/update-product.ts';
import type { FunctionName } from './routes.ts';

/**
 * Every function's definition, by name: its key is the definition's own name (the compiler checks
 * it) and covers the route table.
 */
export const registry = {
  'list-products': listProducts,
  'get-product': getProduct,
  'create-product': createProduct,
  'update-product': updateProduct,
  'delete-product': deleteProduct,
  'adjust-stock': adjustStock,
  'get-basket': getBasket,
  'add-to-basket': addToBasket,
  'remove-from-basket': removeFromBasket,
  'clear-basket': clearBasket,
  'process-payment': processPayment,
  'get-payment': getPayment,
  'refund-payment': refundPayment,
  'reconcile-payments': reconcilePayments,
  'product/on-payment-completed': productOnPaymentCompleted,
  'basket/on-payment-completed': basketOnPaymentCompleted,
  'payment/on-stock-rejected': paymentOnStockRejected,
} satisfies { [N in FunctionName]: Definition & { name: N } };

/** The definitions of the named functions. */
export const definitionsOf = (names: readonly FunctionName[]): Definitions =>
  Object.fromEntries(names.map((name) => [name, registry[name]]));
