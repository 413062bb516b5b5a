import { describe, expect, it } from 'vitest';
import { testLog } from '../../test/support/test-log.ts';
import { createHttpApp } from './create-http-app.ts';

const TOKEN = 'metrics-token-0123456789';
const scrape = (metricsToken: string | undefined, authorization?: string) =>
  createHttpApp({ log: testLog, bodyLimitBytes: 1024, metricsToken }).request('/metrics', {
    headers: authorization === undefined ? {} : { authorization },
  });

describe('GET /metrics', () => {
  it('with METRICS_TOKEN set, refuses a scrape without its bearer token: 401 in the JSON error shape', async () => {
    for (const authorization of [undefined, '', 'Bearer ', `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, TOKEN]) {
      const res = await scrape(TOKEN, authorization);
      expect(res.status, String(authorization)).toBe(401);
      expect(res.headers.get('www-authenticate'), String(authorization)).toBe('Bearer realm="metrics"');
      expect(await res.json(), String(authorization)).toEqual({
        error: { code: 'unauthenticated', message: 'metrics need "Authorization: Bearer <METRICS_TOKEN>"' },
      });
    }
  });

  it('with METRICS_TOKEN set, answers the scrape that presents it', async () => {
    for (const authorization of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`]) {
      const res = await scrape(TOKEN, authorization);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(await res.text()).toContain('nodejs_eventloop_lag_seconds');
    }
  });

  it('without METRICS_TOKEN, answers anyone (the development default)', async () => {
    const res = await scrape(undefined);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('nodejs_eventloop_lag_seconds');
  });
});
