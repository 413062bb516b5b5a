import { Code, createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { describe, expect, it } from 'vitest';
import { ProductService } from '../gen/shop/product/v1/product_pb.ts';
import { loadConfig } from '../platform/config.ts';
import { asUser, call, useEmbeddedGateway } from '../test/support/running-shop.ts';
import { testLog } from '../test/support/test-log.ts';
import { createGateway } from './create-gateway.ts';

describe('gateway HTTP rules', () => {
  const gw = useEmbeddedGateway({ BODY_LIMIT_BYTES: '1024' });
  const add = async (body: unknown, headers: Record<string, string> = {}) =>
    call(`${gw.url}/api/v1/baskets/add`, 'POST', body, { ...(await asUser('u')), ...headers });

  it('answers 400 to malformed JSON and to a body that is not an object', async () => {
    expect(await add('{"user_id": ')).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_argument', message: 'request body is not valid JSON' } },
    });
    expect((await add('[1,2]')).status).toBe(400);
  });

  it('answers 415 to a body that is not JSON', async () => {
    const res = await add('user_id=a', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res).toMatchObject({ status: 415, body: { error: { code: 'unsupported_media_type' } } });
  });

  it('answers 413 to a body over the limit', async () => {
    const res = await add({ user_id: 'x'.repeat(2000), product_id: 'kettle', quantity: 1 });
    expect(res).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
  });

  it('answers 404 in JSON for an unknown route', async () => {
    expect(await call(`${gw.url}/api/v1/nothing`)).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
  });

  it('answers 405 with Allow to a method a path of the route table lacks; 404 stays for unknown paths', async () => {
    const patch = await call(`${gw.url}/api/v1/products/x`, 'PATCH', { name: 'x' });
    expect(patch).toMatchObject({
      status: 405,
      body: {
        error: {
          code: 'method_not_allowed',
          message: 'PATCH is not allowed on /api/v1/products/x; it allows GET, HEAD, PUT, DELETE, OPTIONS',
        },
      },
    });
    expect(patch.headers.get('allow')).toBe('GET, HEAD, PUT, DELETE, OPTIONS');
    const deleteAll = await call(`${gw.url}/api/v1/products`, 'DELETE');
    expect(deleteAll).toMatchObject({ status: 405, body: { error: { code: 'method_not_allowed' } } });
    expect(deleteAll.headers.get('allow')).toBe('GET, HEAD, POST, OPTIONS');
    const rpcGet = await call(`${gw.url}/shop.product.v1.ProductService/GetProduct`);
    expect(rpcGet.status).toBe(405);
    expect(rpcGet.headers.get('allow')).toBe('POST, OPTIONS');
    expect(await call(`${gw.url}/api/v1/nothing`, 'PATCH')).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
    // A CORS preflight is still answered by CORS, on any path.
    const preflight = await call(`${gw.url}/api/v1/products/x`, 'OPTIONS', undefined, {
      origin: 'http://shop.example',
      'access-control-request-method': 'PUT',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://shop.example');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
  });

  it('answers 405 to a method a literal path lacks, before a route with a parameter takes the path as a value', async () => {
    // GET /api/v1/baskets/:user_id would answer for user "add" (a 403 for alice), DELETE would clear that basket.
    const alice = await asUser('alice');
    for (const [path, method] of [
      ['/api/v1/baskets/add', 'GET'],
      ['/api/v1/baskets/add', 'HEAD'],
      ['/api/v1/baskets/remove', 'DELETE'],
    ] as const) {
      const res = await call(`${gw.url}${path}`, method, undefined, alice);
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow'), `${method} ${path}`).toBe('POST, OPTIONS');
    }
    expect((await call(`${gw.url}/api/v1/baskets/add`, 'GET', undefined, alice)).body).toEqual({
      error: {
        code: 'method_not_allowed',
        message: 'GET is not allowed on /api/v1/baskets/add; it allows POST, OPTIONS',
      },
    });
    // A browser reads the 405: CORS (and the rate limit) run before it.
    const fromShop = await call(`${gw.url}/api/v1/baskets/add`, 'GET', undefined, { origin: 'http://shop.example' });
    expect(fromShop.headers.get('access-control-allow-origin')).toBe('http://shop.example');
    expect((await call(`${gw.url}/api/v1/baskets/alice`, 'GET', undefined, alice)).status).toBe(200);
  });

  it('gives every response a request id, keeping a sane incoming one', async () => {
    expect(
      (await call(`${gw.url}/health`, 'GET', undefined, { 'x-request-id': 'abc-123' })).headers.get('x-request-id'),
    ).toBe('abc-123');
    expect(
      (await call(`${gw.url}/health`, 'GET', undefined, { 'x-request-id': 'bad id!' })).headers.get('x-request-id'),
    ).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('allows CORS for listed origins only', async () => {
    const preflight = (origin: string) =>
      call(`${gw.url}/api/v1/baskets/add`, 'OPTIONS', undefined, { origin, 'access-control-request-method': 'POST' });
    expect((await preflight('http://shop.example')).headers.get('access-control-allow-origin')).toBe(
      'http://shop.example',
    );
    expect((await preflight('http://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends security headers with every answer, errors included', async () => {
    for (const res of [
      await call(`${gw.url}/api/v1/products/kettle`),
      await call(`${gw.url}/api/v1/products/nope`),
      await add('{bad'),
    ]) {
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    }
  });

  it('refuses a wildcard or malformed CORS origin at start: the allow-list is strict', () => {
    expect(() => loadConfig({ CORS_ORIGINS: '*' })).toThrow(
      /CORS_ORIGINS: must list origins like https:\/\/shop.example/,
    );
    expect(() => loadConfig({ CORS_ORIGINS: 'https://shop.example/path' })).toThrow(/CORS_ORIGINS/);
    expect(loadConfig({ CORS_ORIGINS: 'https://shop.example, http://localhost:5173' }).corsOrigins).toEqual([
      'https://shop.example',
      'http://localhost:5173',
    ]);
  });

  it('applies CORS, request ids and the body limit to Connect calls too', async () => {
    const rpc = `${gw.url}/shop.product.v1.ProductService/GetProduct`;
    const ok = await call(rpc, 'POST', { id: 'kettle' }, { origin: 'http://shop.example' });
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://shop.example');
    expect(ok.headers.get('x-request-id')).toBeTruthy();
    expect((await call(rpc, 'POST', { id: 'k'.repeat(2000) })).status).toBe(413);
  });

  it('never answers 5xx to hostile basket input, and changes nothing', async () => {
    const hostile: unknown[] = [
      { user_id: "'; drop table products; --", product_id: 'kettle', quantity: 1 },
      { user_id: 'u', product_id: 'kettle', quantity: 1e308 },
      { user_id: 'u', product_id: 'kettle', quantity: '9'.repeat(30) },
      { user_id: '😀', product_id: 'kettle', quantity: 1 },
      { user_id: { $gt: '' }, product_id: 'kettle', quantity: 1 },
      { user_id: 'u', product_id: 'kettle', quantity: -1 },
      { user_id: 'u', product_id: 'kettle', quantity: true },
      'null',
      '"text"',
      '{"user_id":"u","product_id":"kettle","__proto__":{"quantity":1}}',
    ];
    for (const body of hostile) {
      const res = await add(body);
      expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(body)).toBeLessThan(500);
      expect(res.body.error.message).toBeTruthy();
    }
    expect((await call(`${gw.url}/api/v1/baskets/u`, 'GET', undefined, await asUser('u'))).body.items).toEqual([]);
  });
});

describe('forwarding gateway HTTP rules', () => {
  // Every function "elsewhere", on a port nothing listens on: what the gateway answers itself.
  const gw = createGateway(loadConfig({ FUNCTION_URL_TEMPLATE: 'http://127.0.0.1:1/{name}' }), testLog);

  it('answers 405 to a method a literal path lacks itself, forwarding nothing to the route with a parameter', async () => {
    for (const [path, method] of [
      ['/api/v1/baskets/add', 'GET'],
      ['/api/v1/baskets/remove', 'DELETE'],
    ] as const) {
      const res = await gw.app.request(path, { method });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow'), `${method} ${path}`).toBe('POST, OPTIONS');
      expect(await res.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
    }
    const options = await gw.app.request('/api/v1/baskets/add', { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('POST, OPTIONS');
  });
});

describe('gateway rate limit', () => {
  const gw = useEmbeddedGateway({ RATE_LIMIT_PER_MINUTE: '60', RATE_LIMIT_BURST: '5' });

  it('answers 429 with Retry-After to a client over its burst, through the real server', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => call(`${gw.url}/api/v1/products/kettle`)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
    const limited = answers.filter((a) => a.status === 429);
    expect(limited).toHaveLength(3);
    expect(limited[0]!.body).toEqual({
      error: {
        code: 'rate_limited',
        message: expect.stringMatching(/^too many requests from this client; retry in \d+ s$/),
      },
    });
    expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await call(`${gw.url}/health/ready`)).status).toBe(200);
    // Only the probes themselves: any other path under /health is limited like the rest.
    expect((await call(`${gw.url}/health/x`)).status).toBe(429);
  });
});

describe('gateway rate limit over gRPC', () => {
  const gw = useEmbeddedGateway({ RATE_LIMIT_PER_MINUTE: '1', RATE_LIMIT_BURST: '2' });

  it('counts gRPC calls over HTTP/2 against the same bucket as REST, and refuses them over it', async () => {
    expect((await call(`${gw.url}/api/v1/products/kettle`)).status).toBe(200);
    const products = createClient(ProductService, createGrpcTransport({ baseUrl: gw.url }));
    expect((await products.getProduct({ id: 'kettle' })).name).toBe('Gooseneck Kettle');
    const refused = await products.getProduct({ id: 'kettle' }).catch((e) => e);
    expect(refused.code).toBe(Code.Unavailable); // how gRPC clients read an HTTP 429
    expect((await call(`${gw.url}/api/v1/products/kettle`)).status).toBe(429);
  });
});
