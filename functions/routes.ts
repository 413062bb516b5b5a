import type { DescMethod } from '@bufbuild/protobuf';
import { BasketService } from '../gen/shop/basket/v1/basket_pb.ts';
import { PaymentService } from '../gen/shop/payment/v1/payment_pb.ts';
import { ProductService } from '../gen/shop/product/v1/product_pb.ts';

/** How a request/response function is reached: a REST route and a Connect-RPC method. */
export interface RequestRoute {
  kind: 'request';
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  rpc: DescMethod;
  /** Port of the function when served alone (`task fn`, `task up`). */
  port: number;
}

/** How an event handler is reached: a topic, and the HTTP route its binding calls. */
export interface EventRoute {
  kind: 'event';
  topic: string;
  /** Route (and Dapr binding name) that delivers the topic's events over HTTP. */
  binding: string;
  port: number;
}

const rest = (method: RequestRoute['method'], path: string, rpc: DescMethod, port: number): RequestRoute => ({
  kind: 'request', method, path, rpc, port,
});

/** The route table: every function, how it is reached, and its port when served alone. */
export const routes = {
  'list-products': rest('GET', '/api/v1/products', ProductService.method.listProducts, 8101),
  'get-product': rest('GET', '/api/v1/products/:id', ProductService.method.getProduct, 8102),
  'create-product': rest('POST', '/api/v1/products', ProductService.method.createProduct, 8103),
  'update-product': rest('PUT', '/api/v1/products/:id', ProductService.method.updateProduct, 8104),
  'delete-product': rest('DELETE', '/api/v1/products/:id', ProductService.method.deleteProduct, 8105),
  'adjust-stock': rest('POST', '/api/v1/products/:id/stock', ProductService.method.adjustStock, 8106),
  'get-basket': rest('GET', '/api/v1/baskets/:user_id', BasketService.method.getBasket, 8111),
  'add-to-basket': rest('POST', '/api/v1/baskets/add', BasketService.method.addToBasket, 8112),
  'remove-from-basket': rest('POST', '/api/v1/baskets/remove', BasketService.method.removeFromBasket, 8113),
  'clear-basket': rest('DELETE', '/api/v1/baskets/:user_id', BasketService.method.clearBasket, 8114),
  'process-payment': rest('POST', '/api/v1/payments', PaymentService.method.processPayment, 8121),
  'get-payment': rest('GET', '/api/v1/payments/:id', PaymentService.method.getPayment, 8122),
  'refund-payment': rest('POST', '/api/v1/payments/:id/refund', PaymentService.method.refundPayment, 8123),
  'product/on-payment-completed': { kind: 'event', topic: 'payment-completed', binding: 'product-payment-completed', port: 8131 },
  'basket/on-payment-completed': { kind: 'event', topic: 'payment-completed', binding: 'basket-payment-completed', port: 8132 },
  'payment/on-stock-rejected': { kind: 'event', topic: 'stock-rejected', binding: 'payment-stock-rejected', port: 8133 },
} as const satisfies Record<string, RequestRoute | EventRoute>;

/** A function's name. */
export type FunctionName = keyof typeof routes;

/** The Connect path of an RPC method, e.g. `/shop.product.v1.ProductService/GetProduct`. */
export const rpcPath = (m: DescMethod) => `/${m.parent.typeName}/${m.name}`;

/** A function's name as a DNS label (Knative Service name, env var suffix). */
export const serviceName = (name: string) => name.replace(/\//g, '-');

/** The function of that name; throws listing the known names otherwise. */
export function functionNamed(name: string): FunctionName {
  if (name in routes) return name as FunctionName;
  throw new Error(`unknown function "${name}"; one of: ${Object.keys(routes).join(', ')}`);
}
