import { describe, expect, it } from 'vitest';
import { testLog } from '../test/support/test-log.ts';
import { createHttpApp } from './http/create-http-app.ts';

const app = (checks: Record<string, () => Promise<void>>, now?: () => number) =>
  createHttpApp({ log: testLog, bodyLimitBytes: 1024, info: { function: 'f' }, checks, now });
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

  it('runs the checks at most once a second, whoever asks: every caller within the second gets that answer', async () => {
    let t = 0;
    let runs = 0;
    let up = true;
    const a = app(
      {
        database: async () => {
          runs++;
          if (!up) throw new Error('connection refused');
        },
      },
      () => t,
    );
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => get(a, i % 2 ? '/health' : '/health/ready')),
    );
    expect(answers.every((r) => r.status === 200)).toBe(true);
    expect(runs).toBe(1);
    up = false;
    t = 999;
    expect((await get(a, '/health/ready')).status).toBe(200); // the answer of t = 0, as it was
    expect(runs).toBe(1);
    t = 1_000;
    expect(await get(a, '/health')).toMatchObject({ status: 503, body: { checks: { database: { ok: false } } } });
    expect((await get(a, '/health/ready')).status).toBe(503);
    expect(runs).toBe(2);
  });
});
