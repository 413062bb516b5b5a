import { describe, expect, it } from 'vitest';
import { testLog } from '../test/support/test-log.ts';
import { createHttpApp } from './http/create-http-app.ts';

const app = (checks: Record<string, () => Promise<void>>) =>
  createHttpApp({ log: testLog, bodyLimitBytes: 1024, info: { function: 'f' }, checks });
const get = async (a: ReturnType<typeof app>, path: string) => {
  const res = await a.request(path);
  return { status: res.status, body: await res.json() };
};

describe('health endpoints', () => {
  it('answers ready with every check passing, and names each with its time', async () => {
    const a = app({ database: async () => {}, redis: async () => {} });
    const ready = await get(a, '/health/ready');
    expect(ready).toMatchObject({
      status: 200,
      body: { status: 'ok', function: 'f', checks: { database: { ok: true }, redis: { ok: true } } },
    });
    expect(await get(a, '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('answers 503 naming the dependency that fails or does not answer in time, while liveness stays 200', async () => {
    const a = app({
      database: async () => {},
      redis: () => Promise.reject(new Error('connection refused')),
      events: () => new Promise(() => {}),
    });
    const ready = await get(a, '/health/ready');
    expect(ready).toMatchObject({
      status: 503,
      body: {
        status: 'unavailable',
        checks: {
          database: { ok: true },
          redis: { ok: false, error: 'connection refused' },
          events: { ok: false, error: 'no answer in 2000 ms' },
        },
      },
    });
    expect(await get(a, '/health/live')).toEqual({ status: 200, body: { status: 'ok', function: 'f' } });
  });
});
