import { describe, expect, it } from 'vitest';
import { testLog } from '../../test/support/test-log.ts';
import { createHttpApp } from './create-http-app.ts';
import { memoryBuckets } from './memory-buckets.ts';
import { clientAddress, rateLimit } from './rate-limit.ts';

function limited(perMinute: number, burst: number) {
  let t = 0;
  // As the gateway has it: before any route, and before a 405.
  const app = createHttpApp({
    log: testLog,
    bodyLimitBytes: 1024,
    edge: [
      rateLimit({ store: memoryBuckets({ perMinute, burst }, () => t), clientOf: clientAddress(1, () => 'peer') }),
    ],
  });
  app.get('/x', (c) => c.json({ ok: true }));
  const get = async (client = '203.0.113.7') => {
    const res = await app.request('/x', { headers: { 'x-forwarded-for': client } });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
  };
  return {
    get,
    advance: (ms: number) => {
      t += ms;
    },
    app,
  };
}

describe('rate limiting per client', () => {
  it('lets a burst through, answers 429 with Retry-After past it, and refills over time', async () => {
    const l = limited(60, 3);
    for (let i = 0; i < 3; i++) expect((await l.get()).status).toBe(200);
    const over = await l.get();
    expect(over).toEqual({
      status: 429,
      retryAfter: '1',
      body: { error: { code: 'rate_limited', message: 'too many requests from this client; retry in 1 s' } },
    });
    l.advance(1_000);
    expect((await l.get()).status).toBe(200);
    expect((await l.get()).status).toBe(429);
  });

  it('keeps clients apart, by the address the trusted proxy saw', async () => {
    const l = limited(60, 1);
    expect((await l.get('198.51.100.1')).status).toBe(200);
    expect((await l.get('198.51.100.1')).status).toBe(429);
    expect((await l.get('198.51.100.2')).status).toBe(200);
    // A client cannot escape by sending addresses of its own: only the entry the trusted proxy
    // appended (the last) counts.
    expect((await l.get('1.2.3.4, 198.51.100.1')).status).toBe(429);
  });

  it('takes the client from the ingress header when one is configured', () => {
    const of = clientAddress(1, () => 'peer', 'x-envoy-external-address');
    const ctx = (headers: Record<string, string>) => ({ req: { header: (name: string) => headers[name] } }) as never;
    expect(of(ctx({ 'x-envoy-external-address': '198.51.100.9', 'x-forwarded-for': '1.1.1.1' }))).toBe('198.51.100.9');
    expect(of(ctx({ 'x-forwarded-for': '1.1.1.1, 198.51.100.3' }))).toBe('198.51.100.3');
    expect(clientAddress(0, () => 'peer')(ctx({ 'x-forwarded-for': '1.1.1.1' }))).toBe('peer');
  });

  it('never limits health and metrics probes', async () => {
    const l = limited(60, 1);
    await l.get();
    for (let i = 0; i < 5; i++)
      expect((await l.app.request('/health/live', { headers: { 'x-forwarded-for': '203.0.113.7' } })).status).toBe(200);
  });

  it('limits every other path under /health and /metrics: a 404 within the burst, a 429 past it', async () => {
    const l = limited(60, 1);
    const ask = (path: string, method = 'GET') =>
      l.app.request(path, { method, headers: { 'x-forwarded-for': '203.0.113.7' } });
    const first = await ask('/health/x');
    expect(first.status).toBe(404);
    expect(await first.json()).toMatchObject({ error: { code: 'not_found' } });
    for (const [path, method] of [
      ['/health/x', 'GET'],
      ['/healthz', 'GET'],
      ['/metrics/x', 'GET'],
      ['/health/ready', 'POST'],
    ])
      expect((await ask(path!, method)).status, `${method} ${path}`).toBe(429);
  });
});
