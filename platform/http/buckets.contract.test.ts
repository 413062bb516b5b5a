import type { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { infraUrls, requireInfra, uniqueName } from '../../test/support/infra.ts';
import { bucketStoreContract } from '../../test/contracts/rate-limit-buckets.contract.ts';
import { openLimiterRedis } from './limiter-redis.ts';
import { memoryBuckets } from './memory-buckets.ts';
import { redisBuckets } from './redis-buckets.ts';

bucketStoreContract('memory', async (limits) => memoryBuckets(limits));

const hasRedis = await requireInfra('redis');
const prefix = `${uniqueName('rl')}:`;
let redis: Redis | undefined;
let stores = 0;
afterAll(() => redis?.disconnect());
bucketStoreContract(
  'Redis',
  async (limits) => {
    redis ??= await openLimiterRedis(infraUrls.redis);
    return redisBuckets(redis, { ...limits, prefix: `${prefix}${stores++}:` });
  },
  hasRedis,
);
