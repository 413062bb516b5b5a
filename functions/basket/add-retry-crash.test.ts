import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitHealthy } from '../../scripts/topology.ts';
import { migrate } from '../../platform/sql/migrate.ts';
import { openPostgres } from '../../platform/sql/postgres.ts';
import type { Sql } from '../../platform/sql/sql.ts';
import { aProduct } from '../../test/support/function-deps.ts';
import { useServers, type Served } from '../../test/support/node-process.ts';
import { realInfraEnv } from '../../test/support/real-infra-env.ts';
import { asUser, call, dropSchema } from '../../test/support/running-shop.ts';
import { sqlProductStore } from '../product/sql-store.ts';
import { connectRedis, redisBasketStore } from './redis-store.ts';
import type { BasketStore } from './store.ts';

const { ready, env } = await realInfraEnv();

describe.runIf(ready)('add-to-basket killed (SIGKILL) right after Redis applied an add (PostgreSQL, Redis)', () => {
  const servers = useServers();
  let db: Sql;
  let redis: Redis;
  let baskets: BasketStore;
  beforeAll(async () => {
    db = await openPostgres({ url: env.DATABASE_URL!, schema: env.DATABASE_SCHEMA });
    await migrate(db);
    await sqlProductStore(db).insert([aProduct({ id: 'crash-mug', stock: 10 })]);
    redis = await connectRedis(env.REDIS_URL!);
    baskets = redisBasketStore(redis, { ttlMs: 60_000, prefix: env.REDIS_PREFIX });
  });
  afterAll(async () => {
    redis?.disconnect();
    await db?.close();
    await dropSchema(env);
  });

  /** add-to-basket alone in its own process, as on Knative, once it is ready. */
  async function addToBasket(extra: Record<string, string> = {}): Promise<Served> {
    const served = await servers.serve(['functions/serve-one.ts', 'add-to-basket'], { ...env, ...extra });
    await waitHealthy(`${served.url}/health/ready`, served.p.child, 'add-to-basket', 60_000);
    return served;
  }
  const line = { user_id: 'crash-alice', product_id: 'crash-mug', quantity: 2 };
  const add = async (url: string) =>
    call(`${url}/api/v1/baskets/add`, 'POST', line, {
      ...(await asUser('crash-alice')),
      'idempotency-key': 'crash-add-1',
    });

  it('a retry with the same Idempotency-Key, answered by a new process, adds nothing more', async () => {
    const doomed = await addToBasket({ FAILPOINTS: 'add-to-basket.after-add' });
    // The process dies at the failpoint: the client gets no answer, as a client of a killed pod.
    await expect(add(doomed.url)).rejects.toThrow();
    await doomed.p.exited;
    expect(doomed.p.child.signalCode).toBe('SIGKILL');
    expect(doomed.p.stderr()).toContain('failpoint add-to-basket.after-add');
    // Redis applied the add before the kill.
    expect(await baskets.get('crash-alice')).toEqual([{ product_id: 'crash-mug', quantity: 2 }]);

    const restarted = await addToBasket();
    const retry = await add(restarted.url);
    expect(retry.status).toBe(200);
    expect(retry.body.items).toMatchObject([{ product_id: 'crash-mug', quantity: 2 }]);
    expect(await baskets.get('crash-alice')).toEqual([{ product_id: 'crash-mug', quantity: 2 }]);

    // Without the key, the same request is another add: the key is what made the retry safe.
    const another = await call(`${restarted.url}/api/v1/baskets/add`, 'POST', line, await asUser('crash-alice'));
    expect(another.body.items).toMatchObject([{ product_id: 'crash-mug', quantity: 4 }]);
  }, 120_000);
});
