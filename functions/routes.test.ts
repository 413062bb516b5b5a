import { describe, expect, it } from 'vitest';
import { BasketService } from '../gen/shop/basket/v1/basket_pb.ts';
import { PaymentService } from '../gen/shop/payment/v1/payment_pb.ts';
import { ProductService } from '../gen/shop/product/v1/product_pb.ts';
import { routes } from './routes.ts';

describe('the route table', () => {
  it("names each request function's Connect method by the path its descriptor has, and every method of the services once", async () => {
    const paths: string[] = [];
    for (const [name, route] of Object.entries(routes)) {
      if (route.kind !== 'request') continue;
      const method = await route.rpc.load();
      expect(`/${method.parent.typeName}/${method.name}`, name).toBe(route.rpc.path);
      paths.push(route.rpc.path);
    }
    const all = [ProductService, BasketService, PaymentService].flatMap((s) =>
      s.methods.map((m) => `/${s.typeName}/${m.name}`),
    );
    expect(paths.sort()).toEqual(all.sort());
  });
});
