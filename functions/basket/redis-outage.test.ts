import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { freePort, requireInfra } from '../../test/support/infra.ts';
import { startRedis } from '../../test/support/private-redis.ts';
import { stopProcess as stop } from '../../test/support/stop-process.ts';
import { recordCheck } from '../../test/reliability/figures.ts';
import { aProduct, testDeps } from '../../test/support/function-deps.ts';
import { testApp } from '../../test/support/function-app.ts';
import { connectRedis, redisBasketStore } from './redis-store.ts';

describe.runIf(await requireInfra('redis'))('baskets while Redis goes down and comes back', () => {
  let server: ChildProcess | undefined;
  afterAll(async () => server && stop(server));

  it('answers 503 with a clear error while Redis is down, and recovers when it is back', async () => {
    // Every case tried, and whether it held: counted as the test goes, recorded however it ends.
    const cases: { name: string; held: boolean }[] = [];
    const check = (name: string, held: boolean) => void cases.push({ name, held });
    let recoveredAfter = -1;
    recordCheck('redis-outage', () => ({
      runs: cases.length,
      failures: cases.filter((c) => !c.held).length,
      note:
        `${cases.map((c) => `${c.name}: ${c.held ? 'held' : 'BROKEN'}`).join('; ')}` +
        (recoveredAfter >= 0 ? `; answered 200 again ${recoveredAfter} ms after Redis restarted` : ''),
    }));
    const port = await freePort();
    server = await startRedis(port);
    const redis = await connectRedis(`redis://127.0.0.1:${port}`);
    onTestFinished(() => void redis.disconnect());
    const deps = testDeps({ baskets: redisBasketStore(redis, { ttlMs: 60_000 }) });
    await deps.products.insert([aProduct({ id: 'mug', stock: 50 })]);
    const app = testApp(['add-to-basket', 'get-basket'], deps);
    const add = () => app.request('POST', '/api/v1/baskets/add', { user_id: 'u', product_id: 'mug', quantity: 1 });
    expect((await add()).status).toBe(200);

    await stop(server);
    const unavailable = {
      status: 503,
      body: { error: { code: 'unavailable', message: 'the basket store is unavailable; retry shortly' } },
    };
    const down = await add();
    check(
      'add while down: 503 unavailable',
      down.status === 503 && down.body?.error?.message === unavailable.body.error.message,
    );
    expect(down).toMatchObject(unavailable);
    const read = await app.request('GET', '/api/v1/baskets/u');
    check('read while down: 503', read.status === 503);
    expect(read.status).toBe(503);

    server = await startRedis(port);
    const restarted = Date.now();
    let back = 0;
    await vi
      .waitFor(
        async () => {
          back = (await add()).status;
          expect(back).toBe(200);
        },
        { timeout: 10_000, interval: 100 },
      )
      .catch(() => undefined);
    check('add after restart: 200', back === 200);
    if (back === 200) recoveredAfter = Date.now() - restarted;
    expect(back).toBe(200);
  }, 30_000);
});
