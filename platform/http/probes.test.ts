import { describe, expect, it } from 'vitest';
import { createLog } from '../log.ts';
import { createHttpApp } from './create-http-app.ts';
import { isProbe } from './probes.ts';

describe('probes', () => {
  it('are a GET (or HEAD) of /health, /health/live, /health/ready or /metrics, exactly', () => {
    for (const path of ['/health', '/health/live', '/health/ready', '/metrics']) {
      expect(isProbe({ method: 'GET', path }), path).toBe(true);
      expect(isProbe({ method: 'HEAD', path }), path).toBe(true);
      expect(isProbe({ method: 'POST', path }), `POST ${path}`).toBe(false);
    }
    for (const path of ['/health/x', '/healthz', '/health/', '/health/ready/x', '/metrics/x', '/metricsx', '/'])
      expect(isProbe({ method: 'GET', path }), path).toBe(false);
  });

  it('leave no request log line; every other path under them does, as the 404 or 405 it is', async () => {
    const lines: Record<string, any>[] = [];
    const log = createLog('probes', 'info', { write: (line: string) => void lines.push(JSON.parse(line)) });
    const app = createHttpApp({ log, bodyLimitBytes: 1024 });
    for (const path of ['/health', '/health/live', '/health/ready', '/metrics'])
      expect((await app.request(path)).status, path).toBe(200);
    expect(lines.filter((l) => l.msg === 'request')).toEqual([]);
    expect((await app.request('/health/x')).status).toBe(404);
    expect((await app.request('/healthz')).status).toBe(404);
    expect((await app.request('/metrics', { method: 'POST' })).status).toBe(405);
    expect(lines.filter((l) => l.msg === 'request').map((l) => `${l.method} ${l.path} ${l.status}`)).toEqual([
      'GET /health/x 404',
      'GET /healthz 404',
      'POST /metrics 405',
    ]);
  });
});
