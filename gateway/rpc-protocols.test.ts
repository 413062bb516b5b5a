import { Code, createClient, type Transport } from '@connectrpc/connect';
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from '@connectrpc/connect-node';
import { describe, expect, it } from 'vitest';
import { BasketService } from '../gen/shop/basket/v1/basket_pb.ts';
import { ProductService } from '../gen/shop/product/v1/product_pb.ts';
import { call, GATEWAY_ADMIN, useEmbeddedGateway } from '../test/support/running-shop.ts';

describe('Connect-RPC on the gateway port', () => {
  const gw = useEmbeddedGateway();
  const transports: [string, (baseUrl: string) => Transport][] = [
    ['Connect', (baseUrl) => createConnectTransport({ baseUrl, httpVersion: '1.1' })],
    ['gRPC (HTTP/2 cleartext)', (baseUrl) => createGrpcTransport({ baseUrl })],
    ['gRPC-Web', (baseUrl) => createGrpcWebTransport({ baseUrl, httpVersion: '1.1' })],
  ];

  for (const [protocol, make] of transports) {
    it(`serves ${protocol}, with errors as status codes`, async () => {
      const products = createClient(ProductService, make(gw.url));
      expect((await products.getProduct({ id: 'kettle' })).name).toBe('Gooseneck Kettle');
      const err = await products.getProduct({ id: 'missing' }).catch((e) => e);
      expect(err.code).toBe(Code.NotFound);
      const bad = await createClient(BasketService, make(gw.url))
        .addToBasket({ userId: 'rpc', productId: 'kettle', quantity: 0 })
        .catch((e) => e);
      expect(bad.code).toBe(Code.InvalidArgument);
      expect(bad.rawMessage).toBe('quantity: must be at least 1');
      const denied = await products.adjustStock({ id: 'kettle', delta: 1 }).catch((e) => e);
      expect(denied.code).toBe(Code.Unauthenticated);
      const stocked = await products.adjustStock(
        { id: 'kettle', delta: 1 },
        { headers: { authorization: `Bearer ${GATEWAY_ADMIN}` } },
      );
      expect(stocked.stock).toBeGreaterThan(0);
    });
  }

  it('is curl-able with Content-Type: application/json', async () => {
    const res = await call(`${gw.url}/shop.product.v1.ProductService/ListProducts`, 'POST', {
      category: 'books',
      limit: 2,
    });
    expect(res.status).toBe(200);
    expect(res.body.products).toHaveLength(2);
    expect(res.body.products[0].price).toMatchObject({ currency: 'USD' });
  });
});
