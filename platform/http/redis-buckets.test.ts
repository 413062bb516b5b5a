import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { infraUrls, requireInfra, uniqueName } from '../../test/support/infra.ts';
import { openLimiterRedis } from './limiter-redis.ts';
import { redisBuckets } from './redis-buckets.ts';

describe.runIf(await requireInfra('redis'))('rate limit buckets in Redis', () => {
  let redis: Redis;
  afterAll(() => redis?.disconnect());

  it('keeps a bucket under <prefix>ratelimit:<client>, and lets it expire once it would be full again', async () => {
    redis = await openLimiterRedis(infraUrls.redis);
    const prefix = `${uniqueName('rl')}:`;
    const store = redisBuckets(redis, { perMinute: 60_000, burst: 50, prefix }); // full again after 50 ms
    await store.take('198.51.100.7');
    const key = `${prefix}ratelimit:198.51.100.7`;
    expect(await redis.hget(key, 'tokens')).toBe('49');
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1_050);
    await new Promise((r) => setTimeout(r, ttl + 50));
    expect(await redis.exists(key)).toBe(0);
  });
});
