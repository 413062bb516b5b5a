import http from 'node:http';
import type { AddressInfo } from 'node:net';
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
  /** How many requests each live replica of get-product got: the one function served by two. */
  const productReplicaHits: number[] = [];

  beforeAll(async () => {
    const deps = testDeps();
    await deps.products.insert([aProduct({ id: 'mug', stock: 4 })]);
    const env: Record<string, string> = { PORT: '0', UPSTREAM_TIMEOUT_MS: '300' };
    for (const name of ['list-products', 'get-product', 'add-to-basket'] as FunctionName[]) {
      // A dead replica first: the gateway moves on to a live one.
      const urls = ['http://127.0.0.1:1'];
      for (let replica = 0; replica < (name === 'get-product' ? 2 : 1); replica++) {
        const app = createHttpApp({ log: testLog, bodyLimitBytes: 65536 });
        const rpc = mountFunctions({
          app,
          defs: definitionsOf([name]),
          deps,
          deadLetters: recordingDeadLetters(),
          config: { adminToken: undefined, auth: { mode: 'off' }, bodyLimitBytes: 65536, kafkaPrefix: '' },
          log: testLog,
        });
        const hits = name === 'get-product' ? productReplicaHits.push(0) - 1 : -1;
        const fetch: typeof app.fetch = (req, ...rest) => {
          if (hits >= 0) productReplicaHits[hits]!++;
          return app.fetch(req, ...rest);
        };
        const server = await serve({ fetch, rpc, port: 0, host: '127.0.0.1' });
        servers.push(server);
        urls.push(`http://127.0.0.1:${server.port}`);
      }
      env[`FUNCTION_URL_${envSuffix(name)}`] = urls.join(',');
    }
    const slow = await serve({
      fetch: () => new Promise<Response>((r) => setTimeout(() => r(new Response('{}')), 2_000)),
      port: 0,
      host: '127.0.0.1',
    });
    servers.push(slow);
    env.FUNCTION_URL_GET_BASKET = `http://127.0.0.1:${slow.port}`;
    // Answers what it got, chunked, with two cookies: what the gateway forwards, and how it relays the answer.
    const echo = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.setHeader('set-cookie', ['a=1', 'b=2']);
        const text = JSON.stringify({
          method: req.method,
          url: req.url,
          headers: req.headers,
          body: `${Buffer.concat(chunks)}`,
        });
        res.write(text.slice(0, 10));
        res.end(text.slice(10));
      });
    });
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    servers.push({
      port: (echo.address() as AddressInfo).port,
      close: () => new Promise((r) => echo.close(() => r())),
    });
    env.FUNCTION_URL_REFUND_PAYMENT = `http://127.0.0.1:${servers.at(-1)!.port}/prefix`;
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
    const before = [...productReplicaHits];
    for (let i = 0; i < 4; i++) expect((await call(`${url}/api/v1/products/mug`)).status).toBe(200);
    // In turn over [dead, a, b]: the dead one is skipped, so each live one serves every other call.
    expect(productReplicaHits.map((n, i) => n - before[i]!)).toEqual([2, 2]);
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

  it("forwards the client's headers (not hop-by-hop ones), its body, the request id and the trace; relays every cookie", async () => {
    const trace = '0af7651916cd43dd8448eb211c80319c';
    const res = await call(`${url}/api/v1/payments/p9/refund?x=1`, 'POST', '{"amount_minor":5}', {
      'content-type': 'application/json',
      'x-forwarded-for': '203.0.113.7',
      'x-custom': 'kept',
      traceparent: `00-${trace}-b7ad6b7169203331-01`,
    });
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    const { method, url: path, headers, body } = res.body;
    expect([method, path, body]).toEqual(['POST', '/prefix/api/v1/payments/p9/refund?x=1', '{"amount_minor":5}']);
    expect(headers).toMatchObject({
      'x-custom': 'kept',
      'x-forwarded-for': '203.0.113.7',
      'content-length': '18',
      'x-request-id': res.headers.get('x-request-id'),
    });
    expect(headers.host).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(headers.traceparent).toMatch(new RegExp(`^00-${trace}-[0-9a-f]{16}-01$`)); // the client's trace goes on
    // HEAD: the answer's head only.
    const head = await fetch(`${url}/api/v1/products`, { method: 'HEAD' });
    expect([head.status, await head.text(), head.headers.get('content-type')]).toEqual([200, '', 'application/json']);
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
