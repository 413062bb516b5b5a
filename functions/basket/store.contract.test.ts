import type { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { requireInfra, infraUrls, uniqueName } from '../../test/support/infra.ts';
import { memoryBasketStore } from './memory-store.ts';
import { connectRedis, redisBasketStore } from './redis-store.ts';
import { basketStoreContract } from '../../test/contracts/basket-store.contract.ts';

basketStoreContract('memory', async () => memoryBasketStore());

const hasRedis = await requireInfra('redis');
let redis: Redis | undefined;
afterAll(() => redis?.disconnect());
basketStoreContract(
  'Redis',
  async () => {
    redis ??= await connectRedis(infraUrls.redis);
    return redisBasketStore(redis, { ttlMs: 60_000, prefix: `${uniqueName('t')}:` });
  },
  hasRedis,
);
