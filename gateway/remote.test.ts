import { Code, createClient } from '@connectrpc/connect';
import { createGrpcWebTransport } from '@connectrpc/connect-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProductService } from '../gen/shop/product/v1/product_pb.ts';
import { mountFunctions } from '../functions/mount-functions.ts';
import { definitionsOf } from '../functions/registry.ts';
import { routes, type FunctionName } from '../functions/routes.ts';
import { aProduct, testDeps } from '../test/support/function-deps.ts';
import { recordingDeadLetters, testLog } from '../test/support/test-log.ts';
import { loadConfig } from '../platform/config.ts';
import { createHttpApp } from '../platform/http/create-http-app.ts';
import { serve, type Server } from '../platform/http/serve.ts';
import { createGateway } from './create-gateway.ts';
import { envSuffix } from './function-urls.ts';
import { call } from '../test/support/running-shop.ts';

describe('gateway forwarding to functions served alone', () => {
  const servers: Server[] = [];
  let url = '';

  beforeAll(async () => {
    const deps = testDeps();
    await deps.products.insert([aProduct({ id: 'mug', stock: 4 })]);
    const env: Record<string, string> = { PORT: '0', UPSTREAM_TIMEOUT_MS: '300' };
    for (const name of ['list-products', 'get-product', 'add-to-basket'] as FunctionName[]) {
      const app = createHttpApp({ log: testLog, bodyLimitBytes: 65536 });
      const rpc = mountFunctions({
        app,
        defs: definitionsOf([name]),
        deps,
        deadLetters: recordingDeadLetters(),
        config: { adminToken: undefined, auth: { mode: 'off' }, bodyLimitBytes: 65536, kafkaPrefix: '' },
        log: testLog,
      });
      const server = await serve({ fetch: app.fetch, rpc, port: 0, host: '127.0.0.1' });
      servers.push(server);
      // A dead replica first: the gateway moves on to the live one.
      env[`FUNCTION_URL_${envSuffix(name)}`] = `http://127.0.0.1:1,http://127.0.0.1:${server.port}`;
    }
    const slow = await serve({
      fetch: () => new Promise<Response>((r) => setTimeout(() => r(new Response('{}')), 2_000)),
      port: 0,
      host: '127.0.0.1',
    });
    servers.push(slow);
    env.FUNCTION_URL_GET_BASKET = `http://127.0.0.1:${slow.port}`;
    env.FUNCTION_URL_TEMPLATE = 'http://127.0.0.1:1/{name}';
    const gw = createGateway(loadConfig(env), testLog);
    const server = await serve({ fetch: gw.app.fetch, port: 0, host: '127.0.0.1' });
    servers.push(server);
    url = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it('routes every request function of the route table', () => {
    const gw = createGateway(loadConfig({ FUNCTION_URL_TEMPLATE: 'http://{name}.shop.svc' }), testLog);
    const paths = gw.app.routes.map((r) => `${r.method} ${r.path}`);
    for (const route of Object.values(routes)) {
      if (route.kind === 'request') expect(paths).toContain(`${route.method} ${route.path}`);
    }
  });

  it('spreads calls over replicas, skipping one that refuses connections', async () => {
    for (let i = 0; i < 4; i++) expect((await call(`${url}/api/v1/products/mug`)).status).toBe(200);
  });

  it('forwards REST requests and their answers', async () => {
    expect((await call(`${url}/api/v1/products`)).body).toMatchObject({ total: 1, products: [{ id: 'mug' }] });
    expect((await call(`${url}/api/v1/products/nope`)).status).toBe(404);
    // A method the route table does not have on a path: answered by the gateway, not forwarded.
    const patch = await call(`${url}/api/v1/products/mug`, 'PATCH', { name: 'x' });
    expect(patch).toMatchObject({ status: 405, body: { error: { code: 'method_not_allowed' } } });
    expect(patch.headers.get('allow')).toBe('GET, HEAD, PUT, DELETE, OPTIONS');
    expect((await call(`${url}/api/v1/nothing`, 'PATCH')).status).toBe(404);
    const added = await call(`${url}/api/v1/baskets/add`, 'POST', { user_id: 'zoe', product_id: 'mug', quantity: 9 });
    expect(added).toMatchObject({ status: 409, body: { error: { code: 'insufficient_stock' } } });
  });

  it('forwards Connect and gRPC-Web calls', async () => {
    expect((await call(`${url}/shop.product.v1.ProductService/GetProduct`, 'POST', { id: 'mug' })).body.name).toBe(
      'Mug',
    );
    const client = createClient(ProductService, createGrpcWebTransport({ baseUrl: url, httpVersion: '1.1' }));
    expect((await client.listProducts({})).total).toBe(1);
    // A failed gRPC-Web call (200 on the wire) counts as its status: here at the function and at
    // the gateway, both in this process.
    const notFound =
      'http_requests_total{route="/shop.product.v1.ProductService/GetProduct",method="POST",status="404"}';
    const count = async () =>
      Number(
        (await (await fetch(`${url}/metrics`)).text())
          .split('\n')
          .find((l) => l.startsWith(`${notFound} `))
          ?.slice(notFound.length + 1) ?? 0,
      );
    const before = await count();
    expect(await client.getProduct({ id: 'nope' }).catch((e) => e.code)).toBe(Code.NotFound);
    expect(await count()).toBe(before + 2);
  });

  it('answers 503 when a function is down and 504 when it is too slow', async () => {
    expect(await call(`${url}/api/v1/payments/p1`)).toMatchObject({
      status: 503,
      body: { error: { code: 'unavailable' } },
    });
    expect(await call(`${url}/api/v1/baskets/zoe`)).toMatchObject({
      status: 504,
      body: { error: { code: 'upstream_timeout' } },
    });
  });
});
