import type { DescMethod } from '@bufbuild/protobuf';

/**
 * A Connect-RPC method: its path, known without loading protobuf, and its descriptor, loaded on
 * the first call (the descriptors and the protobuf runtime take a while to load, and a function
 * answering REST never needs them).
 */
export interface RpcMethod {
  /** e.g. `/shop.product.v1.ProductService/GetProduct`. */
  path: string;
  load(): Promise<DescMethod>;
}

/** The generated services: the package, and how to load the module that describes them. */
const services = {
  product: {
    name: 'shop.product.v1.ProductService',
    load: async () => (await import('../gen/shop/product/v1/product_pb.ts')).ProductService,
  },
  basket: {
    name: 'shop.basket.v1.BasketService',
    load: async () => (await import('../gen/shop/basket/v1/basket_pb.ts')).BasketService,
  },
  payment: {
    name: 'shop.payment.v1.PaymentService',
    load: async () => (await import('../gen/shop/payment/v1/payment_pb.ts')).PaymentService,
  },
};

/**
 * The method `name` (as in the .proto) of a service; a name it lacks fails its first call, and the
 * route table's test.
 */
const rpcOf = (service: keyof typeof services, name: string): RpcMethod => ({
  path: `/${services[service].name}/${name}`,
  load: async () => {
    const method = (await services[service].load()).methods.find((m) => m.name === name);
    if (!method) throw new Error(`${services[service].name} has no method ${name}`);
    return method;
  },
});

/** How a request/response function is reached: a REST route and a Connect-RPC method. */
export interface RequestRoute {
  kind: 'request';
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  rpc: RpcMethod;
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

const rest = (method: RequestRoute['method'], path: string, rpc: RpcMethod, port: number): RequestRoute => ({
  kind: 'request',
  method,
  path,
  rpc,
  port,
});

/** The route table: every function, how it is reached, and its port when served alone. */
export const routes = {
  'list-products': rest('GET', '/api/v1/products', rpcOf('product', 'ListProducts'), 8101),
  'get-product': rest('GET', '/api/v1/products/:id', rpcOf('product', 'GetProduct'), 8102),
  'create-product': rest('POST', '/api/v1/products', rpcOf('product', 'CreateProduct'), 8103),
  'update-product': rest('PUT', '/api/v1/products/:id', rpcOf('product', 'UpdateProduct'), 8104),
  'delete-product': rest('DELETE', '/api/v1/products/:id', rpcOf('product', 'DeleteProduct'), 8105),
  'adjust-stock': rest('POST', '/api/v1/products/:id/stock', rpcOf('product', 'AdjustStock'), 8106),
  'get-basket': rest('GET', '/api/v1/baskets/:user_id', rpcOf('basket', 'GetBasket'), 8111),
  'add-to-basket': rest('POST', '/api/v1/baskets/add', rpcOf('basket', 'AddToBasket'), 8112),
  'remove-from-basket': rest('POST', '/api/v1/baskets/remove', rpcOf('basket', 'RemoveFromBasket'), 8113),
  'clear-basket': rest('DELETE', '/api/v1/baskets/:user_id', rpcOf('basket', 'ClearBasket'), 8114),
  'process-payment': rest('POST', '/api/v1/payments', rpcOf('payment', 'ProcessPayment'), 8121),
  'get-payment': rest('GET', '/api/v1/payments/:id', rpcOf('payment', 'GetPayment'), 8122),
  'refund-payment': rest('POST', '/api/v1/payments/:id/refund', rpcOf('payment', 'RefundPayment'), 8123),
  'reconcile-payments': rest('GET', '/api/v1/reconciliation', rpcOf('payment', 'Reconcile'), 8124),
  'product/on-payment-completed': {
    kind: 'event',
    topic: 'payment-completed',
    binding: 'product-payment-completed',
    port: 8131,
  },
  'basket/on-payment-completed': {
    kind: 'event',
    topic: 'payment-completed',
    binding: 'basket-payment-completed',
    port: 8132,
  },
  'payment/on-stock-rejected': {
    kind: 'event',
    topic: 'stock-rejected',
    binding: 'payment-stock-rejected',
    port: 8133,
  },
} as const satisfies Record<string, RequestRoute | EventRoute>;

/** A function's name. */
export type FunctionName = keyof typeof routes;

/** A function's name as a DNS label (Knative Service name, env var suffix). */
export const serviceName = (name: string) => name.replace(/\//g, '-');

/** The function of that name; throws listing the known names otherwise. */
export function functionNamed(name: string): FunctionName {
  if (name in routes) return name as FunctionName;
  throw new Error(`unknown function "${name}"; one of: ${Object.keys(routes).join(', ')}`);
}

/** The event routes (`POST /<binding>`) of the given functions: paths that limit their bodies themselves. */
export const eventPaths = (names: readonly FunctionName[]): ReadonlySet<string> =>
  new Set(
    names.flatMap((name) => {
      const route: RequestRoute | EventRoute = routes[name];
      return route.kind === 'event' ? [`/${route.binding}`] : [];
    }),
  );
