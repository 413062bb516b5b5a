import { describe, expect, it } from 'vitest';
import { paymentCompleted, stockRejected } from '../test/support/test-events.ts';
import { eventPaths, routes, type FunctionName } from '../functions/routes.ts';
import { testLog } from '../test/support/test-log.ts';
import { loadConfig } from '../platform/config.ts';
import { createGateway } from './create-gateway.ts';
import { asUser, call, useEmbeddedGateway } from '../test/support/running-shop.ts';

const eventRoutes = [...eventPaths(Object.keys(routes) as FunctionName[])];

describe('the edge serves request routes only', () => {
  const gw = useEmbeddedGateway();

  it('has no event route: a forged payment-completed, stock-rejected or any event post is 404 and changes nothing', async () => {
    expect(eventRoutes.sort()).toEqual([
      '/basket-payment-completed',
      '/payment-stock-rejected',
      '/product-payment-completed',
    ]);
    const alice = await asUser('alice');
    expect(
      (
        await call(
          `${gw.url}/api/v1/baskets/add`,
          'POST',
          { user_id: 'alice', product_id: 'kettle', quantity: 1 },
          alice,
        )
      ).status,
    ).toBe(200);
    const stock = async () => (await call(`${gw.url}/api/v1/products/kettle`)).body.stock as number;
    const before = await stock();
    const forged = paymentCompleted('forged-1', 'alice', [{ product_id: 'kettle', quantity: before }]);
    for (const path of eventRoutes) {
      for (const headers of [{}, { 'dapr-api-token': 'guess' }, { __topic: 'payment-completed' }] as Record<
        string,
        string
      >[]) {
        for (const body of [forged, stockRejected('forged-2', 'pay-forged-1', 'kettle')]) {
          const res = await call(`${gw.url}${path}`, 'POST', body, headers);
          expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(404);
        }
      }
    }
    expect(await stock()).toBe(before);
    expect((await call(`${gw.url}/api/v1/baskets/alice`, 'GET', undefined, alice)).body.items).toMatchObject([
      { product_id: 'kettle', quantity: 1 },
    ]);
  });

  it('forwards request routes only, never an event route, when functions run elsewhere', async () => {
    const config = loadConfig({ FUNCTION_URL_TEMPLATE: 'http://127.0.0.1:9/{name}', LOG_LEVEL: 'silent' });
    const { app } = createGateway(config, testLog);
    for (const path of eventRoutes) {
      const res = await app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(paymentCompleted('f', 'a', [{ product_id: 'kettle', quantity: 1 }])),
      });
      expect(res.status, path).toBe(404);
    }
  });
});
