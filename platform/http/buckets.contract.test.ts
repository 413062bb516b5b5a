import type { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { infraUrls, requireInfra, uniqueName } from '../../test/support/infra.ts';
import { bucketStoreContract } from '../../test/contracts/rate-limit-buckets.contract.ts';
import { openLimiterRedis } from './limiter-redis.ts';
import { memoryBuckets } from './memory-buckets.ts';
import { redisBuckets } from './redis-buckets.ts';

// A clock the test moves: each figure exact.
bucketStoreContract('memory', async (limits) => {
  let t = 0;
  const clock = {
    now: async () => t,
    wait: async (ms: number) => {
      t += ms;
    },
  };
  return { store: memoryBuckets(limits, () => t), clock };
});

const hasRedis = await requireInfra('redis');
const prefix = `${uniqueName('rl')}:`;
let redis: Redis | undefined;
let stores = 0;
afterAll(() => redis?.disconnect());
bucketStoreContract(
  'Redis',
  async (limits) => {
    redis ??= await openLimiterRedis(infraUrls.redis);
    const r = redis;
    // Redis's own time, the script's clock: read, and waited on for real.
    const clock = {
      now: async () => {
        const [seconds, micros] = await r.time();
        return Number(seconds) * 1000 + Number(micros) / 1000;
      },
      wait: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    };
    return { store: redisBuckets(r, { ...limits, prefix: `${prefix}${stores++}:` }), clock };
  },
  hasRedis,
);
