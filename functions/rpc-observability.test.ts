import { Code, createClient, type Transport } from '@connectrpc/connect';
import { createConnectTransport, createGrpcTransport, createGrpcWebTransport } from '@connectrpc/connect-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BasketService } from '../gen/shop/basket/v1/basket_pb.ts';
import { ProductService } from '../gen/shop/product/v1/product_pb.ts';
import { createHttpApp } from '../platform/http/create-http-app.ts';
import { serve, type Server } from '../platform/http/serve.ts';
import { createLog } from '../platform/log.ts';
import { startTracing } from '../platform/tracing.ts';
import { aProduct, testDeps } from '../test/support/function-deps.ts';
import { recordingDeadLetters } from '../test/support/test-log.ts';
import { mountFunctions } from './mount-functions.ts';
import { definitionsOf } from './registry.ts';

/** Every line the served functions log, parsed. */
const lines: Record<string, any>[] = [];
const log = createLog('rpc-observed', 'info', { write: (line: string) => void lines.push(JSON.parse(line)) });

const GET_PRODUCT = '/shop.product.v1.ProductService/GetProduct';
const ADD_TO_BASKET = '/shop.basket.v1.BasketService/AddToBasket';

/** The value of a Prometheus series in a scrape (0 when absent). */
const series = (scrape: string, name: string) =>
  Number(
    scrape
      .split('\n')
      .find((l) => l.startsWith(`${name} `))
      ?.slice(name.length + 1) ?? 0,
  );
const requests = (route: string, status: number) =>
  `http_requests_total{route="${route}",method="POST",status="${status}"}`;
const durations = (route: string, status: number) =>
  `http_request_duration_seconds_count{route="${route}",method="POST",status="${status}"}`;

describe('RPCs in the request log and metrics, whatever the protocol', () => {
  let server: Server;
  let url = '';
  beforeAll(async () => {
    await startTracing('rpc-observed', undefined); // spans are recorded: log lines carry trace ids
    const deps = testDeps();
    await deps.products.insert([aProduct({ id: 'mug' })]);
    const products = deps.products;
    deps.products = {
      ...products,
      get: async (id) => (id === 'on-fire' ? Promise.reject(new Error('the disk is on fire')) : products.get(id)),
    };
    const app = createHttpApp({ log, bodyLimitBytes: 65_536 });
    const rpc = mountFunctions({
      app,
      defs: definitionsOf(['get-product', 'add-to-basket']),
      deps,
      deadLetters: recordingDeadLetters(),
      config: { adminToken: undefined, auth: { mode: 'off' }, bodyLimitBytes: 65_536, kafkaPrefix: '' },
      log,
    });
    server = await serve({ fetch: app.fetch, rpc, readMaxBytes: 65_536, port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${server.port}`;
  });
  afterAll(() => server?.close());

  const scrape = async () => (await fetch(`${url}/metrics`)).text();
  /** The request lines logged for a request id. */
  const requestLines = (id: string) => lines.filter((l) => l.msg === 'request' && l.request_id === id);

  const transports: [string, (baseUrl: string) => Transport][] = [
    ['gRPC (HTTP/2)', (baseUrl) => createGrpcTransport({ baseUrl })],
    ['gRPC-Web (HTTP/1.1)', (baseUrl) => createGrpcWebTransport({ baseUrl, httpVersion: '1.1' })],
    ['gRPC-Web (HTTP/2)', (baseUrl) => createGrpcWebTransport({ baseUrl, httpVersion: '2' })],
    ['Connect (HTTP/1.1)', (baseUrl) => createConnectTransport({ baseUrl, httpVersion: '1.1' })],
    ['Connect (HTTP/2)', (baseUrl) => createConnectTransport({ baseUrl, httpVersion: '2' })],
  ];

  for (const [protocol, make] of transports) {
    it(`${protocol}: one request line and one sample per call, under the method's path, failures as their status`, async () => {
      const before = await scrape();
      const products = createClient(ProductService, make(url));
      const id = `ok-${protocol.replace(/\W+/g, '-')}`;
      expect((await products.getProduct({ id: 'mug' }, { headers: { 'x-request-id': id } })).name).toBe('Mug');
      const missingId = `missing-${protocol.replace(/\W+/g, '-')}`;
      expect(
        await products.getProduct({ id: 'nope' }, { headers: { 'x-request-id': missingId } }).catch((e) => e.code),
      ).toBe(Code.NotFound);
      const invalidId = `invalid-${protocol.replace(/\W+/g, '-')}`;
      const baskets = createClient(BasketService, make(url));
      expect(
        await baskets
          .addToBasket({ userId: 'u', productId: 'mug', quantity: 0 }, { headers: { 'x-request-id': invalidId } })
          .catch((e) => e.code),
      ).toBe(Code.InvalidArgument);

      await vi.waitFor(() => expect([id, missingId, invalidId].map((r) => requestLines(r).length)).toEqual([1, 1, 1]));
      const [ok] = requestLines(id);
      expect(ok).toMatchObject({ level: 'info', method: 'POST', path: GET_PRODUCT, route: GET_PRODUCT, status: 200 });
      expect(ok!.duration_ms).toBeGreaterThanOrEqual(0);
      expect(ok!.trace_id).toMatch(/^[0-9a-f]{32}$/);
      expect(requestLines(missingId)[0]).toMatchObject({ route: GET_PRODUCT, status: 404 });
      expect(requestLines(invalidId)[0]).toMatchObject({ route: ADD_TO_BASKET, status: 400 });

      const after = await scrape();
      for (const [route, status] of [
        [GET_PRODUCT, 200],
        [GET_PRODUCT, 404],
        [ADD_TO_BASKET, 400],
      ] as const) {
        expect(
          series(after, requests(route, status)) - series(before, requests(route, status)),
          `${route} ${status}`,
        ).toBe(1);
        expect(
          series(after, durations(route, status)) - series(before, durations(route, status)),
          `${route} ${status}`,
        ).toBe(1);
      }
    });
  }

  it('logs a caller error at info without a stack, and a server failure at error with its stack', async () => {
    const products = createClient(ProductService, createGrpcTransport({ baseUrl: url }));
    await products.getProduct({ id: 'nope' }, { headers: { 'x-request-id': 'caller-error' } }).catch(() => undefined);
    expect(
      await products
        .getProduct({ id: 'on-fire' }, { headers: { 'x-request-id': 'server-error' } })
        .catch((e) => e.code),
    ).toBe(Code.Internal);
    await vi.waitFor(() => expect(requestLines('server-error')).toHaveLength(1));

    const failed = (id: string) => lines.filter((l) => l.msg === 'rpc failed' && l.request_id === id);
    expect(failed('caller-error')).toEqual([
      expect.objectContaining({
        level: 'info',
        code: 'not_found',
        message: 'product nope not found',
        trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      }),
    ]);
    const atInfo = lines.filter((l) => l.level === 'info');
    expect(atInfo.filter((l) => JSON.stringify(l).includes('"stack"'))).toEqual([]);
    const [fault] = failed('server-error');
    expect(fault).toMatchObject({ level: 'error', code: 'internal', err: { message: 'the disk is on fire' } });
    expect(fault!.err.stack).toContain('the disk is on fire');
    expect(requestLines('server-error')[0]).toMatchObject({
      route: GET_PRODUCT,
      status: 500,
      grpc_status: Code.Internal,
    });
  });
});
