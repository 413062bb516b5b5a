import { Counter, Histogram, Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testLog } from '../test/support/test-log.ts';
import { ShopError } from './errors.ts';
import { createHttpApp } from './http/create-http-app.ts';
import { registry } from './metrics.ts';

/** The lines of the request metrics in a scrape (both of them, HELP and TYPE too). */
const requestLines = (text: string) =>
  text.split('\n').filter((l) => /^(# (HELP|TYPE) )?http_request(s_total|_duration_seconds)/.test(l));

describe('request metrics', () => {
  afterEach(() => void vi.useRealTimers());

  it("are what prom-client's Counter and Histogram give for the same requests", async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const app = createHttpApp({ log: testLog, bodyLimitBytes: 1024 });
    app.get('/things/:ms', (c) => {
      vi.advanceTimersByTime(Number(c.req.param('ms')));
      return c.json({ ok: true });
    });
    app.post('/fail', () => {
      vi.advanceTimersByTime(3);
      throw new ShopError('conflict', 'no');
    });

    // The same requests, counted by prom-client itself.
    const reference = new Registry();
    const labelNames = ['route', 'method', 'status'] as const;
    const total = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by route pattern, method and status',
      labelNames,
      registers: [reference],
    });
    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency in seconds, by route pattern, method and status',
      labelNames,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [reference],
    });
    const counted = (route: string, method: string, status: number, ms: number) => {
      const labels = { route, method, status: String(status) };
      total.inc(labels);
      duration.observe(labels, ms / 1000);
    };

    for (const ms of [0, 1, 2, 4, 9, 30, 700, 12_000]) {
      expect((await app.request(`/things/${ms}`)).status).toBe(200);
      counted('/things/:ms', 'GET', 200, ms);
    }
    expect((await app.request('/fail', { method: 'POST' })).status).toBe(409);
    counted('/fail', 'POST', 409, 3);
    expect((await app.request('/nothing')).status).toBe(404);
    counted('unmatched', 'GET', 404, 0);

    expect(requestLines(await registry.metrics())).toEqual(requestLines(await reference.metrics()));
    expect(requestLines(await registry.metrics())).toContain(
      'http_request_duration_seconds_bucket{le="0.005",route="/things/:ms",method="GET",status="200"} 4',
    );
  });
});
